package io.warmstream.merger.state;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.KeptVersion;
import io.warmstream.events.Member;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.Topics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Maps the merger's state to and from the Avro events it publishes on {@code warm.models} and the rejection topic. */
public final class Events {

    private Events() {
    }

    public static WarmModelPublished published(AverageState s) {
        List<Member> members = new ArrayList<>(s.members().size());
        for (MemberInfo m : s.members()) {
            members.add(Member.newBuilder().setJobId(m.jobId()).setUri(m.uri()).setSha256(m.sha256())
                    .setValidationAccuracy(m.validationAccuracy()).setWeight(m.weight())
                    .setHoldoutAccuracy(m.holdoutAccuracy()).build());
        }
        List<KeptVersion> kept = new ArrayList<>(s.kept().size());
        for (KeptEntry k : s.kept()) {
            QualityFigures q = k.quality();
            kept.add(KeptVersion.newBuilder().setVersion(k.version()).setUri(k.uri()).setSha256(k.sha256())
                    .setMemberCount(k.memberCount()).setValidationAccuracy(k.validationAccuracy())
                    .setRollbackOf(k.rollbackOf()).setPublishedAt(k.publishedAt()).setSupersededAt(k.supersededAt())
                    .setAccuracyStandardError(q.accuracyStandardError()).setWithheld(q.withheld())
                    .setComparedWithVersion(q.comparedWith()).setComparedWithAccuracy(q.comparedWithAccuracy())
                    .setPairedDifference(q.pairedDifference()).setPairedStandardError(q.pairedStandardError())
                    .setGeneration(k.generation())
                    .build());
        }
        return WarmModelPublished.newBuilder()
                .setAverage(s.average()).setVersion(s.version()).setUri(s.uri()).setSha256(s.sha256())
                .setLineage(s.lineage()).setStrategy(s.strategy()).setMembers(members)
                .setMemberCount(s.members().size()).setValidationAccuracy(s.validationAccuracy())
                .setMembersMeanAccuracy(s.membersMeanAccuracy()).setRollbackOf(s.rollbackOf())
                .setPublishedAt(s.publishedAt()).setFolds(s.folds()).setHoldoutLabels(s.holdoutLabels())
                .setKept(kept).setFormerMemberJobIds(new ArrayList<>(s.formerMembers()))
                .setWithheld(!s.served()).setServedVersion(s.servedVersion() > 0 ? s.servedVersion() : null)
                .setAccuracyStandardError(s.quality().accuracyStandardError())
                .setComparedWithVersion(s.quality().comparedWith())
                .setComparedWithAccuracy(s.quality().comparedWithAccuracy())
                .setPairedDifference(s.quality().pairedDifference())
                .setPairedStandardError(s.quality().pairedStandardError())
                .setGeneration(s.generation())
                .setWithheldReason(s.quality().withheldReason())
                .build();
    }

    /**
     * The key of a version on {@code warm.models}: the average for a served version, {@link Topics#withheldModelKey}
     * for a withheld one, so compaction never lets a withheld version stand in for the served one.
     */
    public static String modelsKey(AverageState s) {
        return s.served() ? s.average() : Topics.withheldModelKey(s.average());
    }

    /** The freshness times of the checkpoint a version folds in (none for a rollback: {@code folded} null). */
    public static WarmModelPublished withFreshness(WarmModelPublished e, RewardModelCheckpoint folded) {
        if (folded == null) {
            return e;
        }
        e.setNewestLabelAt(folded.getNewestLabelAt());
        e.setCheckpointAt(folded.getCreatedAt());
        if (folded.getJobCreatedAt() != null && folded.getTrainingStartedAt() != null) {
            e.setNewestMemberQueueMs(Math.max(0, folded.getTrainingStartedAt().toEpochMilli()
                    - folded.getJobCreatedAt().toEpochMilli()));
        }
        e.setNewestMemberTrainingMs(folded.getDurationMs());
        return e;
    }

    /** The version's reward scale on the reference set (fields stay null when none was measured). */
    public static WarmModelPublished withRewardScale(WarmModelPublished e, RewardScaleFigures scale) {
        if (scale != null) {
            e.setRewardMean(scale.mean());
            e.setRewardStd(scale.std());
            e.setRewardScaleItems(scale.items());
            e.setRewardScaleReference(scale.reference());
        }
        return e;
    }

    public static AverageState state(WarmModelPublished e) {
        List<MemberInfo> members = new ArrayList<>(e.getMembers().size());
        for (Member m : e.getMembers()) {
            members.add(new MemberInfo(m.getJobId(), m.getUri(), m.getSha256(), m.getValidationAccuracy(),
                    m.getWeight(), m.getHoldoutAccuracy()));
        }
        List<KeptEntry> kept = new ArrayList<>(e.getKept().size());
        for (KeptVersion k : e.getKept()) {
            kept.add(new KeptEntry(k.getVersion(), k.getUri(), k.getSha256(), k.getMemberCount(),
                    k.getValidationAccuracy(), k.getRollbackOf(), k.getPublishedAt(), k.getSupersededAt(),
                    new QualityFigures(k.getAccuracyStandardError(), k.getComparedWithVersion(),
                            k.getComparedWithAccuracy(), k.getPairedDifference(), k.getPairedStandardError(),
                            k.getWithheld()), k.getGeneration()));
        }
        QualityFigures quality = new QualityFigures(e.getAccuracyStandardError(), e.getComparedWithVersion(),
                e.getComparedWithAccuracy(), e.getPairedDifference(), e.getPairedStandardError(), e.getWithheld(),
                e.getWithheldReason());
        if (kept.stream().noneMatch(k -> k.version() == e.getVersion())) {
            // Written before versions were kept in events: the current one is kept at least.
            kept.add(0, new KeptEntry(e.getVersion(), e.getUri(), e.getSha256(), e.getMemberCount(),
                    e.getValidationAccuracy(), e.getRollbackOf(), e.getPublishedAt(), null, quality, e.getGeneration()));
        }
        long folds = Math.max(e.getFolds(), members.size());
        // Records from before the quality gate carry no servedVersion: each of them was served.
        long served = e.getServedVersion() != null ? e.getServedVersion() : e.getVersion();
        return new AverageState(e.getAverage(), e.getVersion(), e.getUri(), e.getSha256(), e.getLineage(),
                e.getStrategy(), members, folds, e.getValidationAccuracy(), e.getMembersMeanAccuracy(),
                e.getHoldoutLabels(), e.getRollbackOf(), e.getPublishedAt(), kept, e.getFormerMemberJobIds(), served,
                quality, e.getGeneration());
    }

    public static CheckpointRejected rejected(String average, String jobId, String uri, String reasonCode,
                                              String detail, Instant time, Long keptVersion) {
        return CheckpointRejected.newBuilder().setAverage(average).setJobId(jobId).setUri(uri == null ? "" : uri)
                .setReasonCode(reasonCode).setDetail(detail).setTime(time).setKeptVersion(keptVersion).build();
    }
}
