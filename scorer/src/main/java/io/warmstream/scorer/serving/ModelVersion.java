package io.warmstream.scorer.serving;

import io.warmstream.events.WarmModelPublished;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * One published version of a WARM average, as the scorer needs it: where the weights are, the SHA-256 they must have
 * (of {@code model.safetensors}, as recorded in {@code warmstream.json}), and the members it averages.
 *
 * @param accuracyStandardError standard error of {@code validationAccuracy} (null when not measured)
 * @param withheld              the merger's quality gate withheld it (worse than the served version, a newer
 *                              generation not yet better, a superseded generation): never loaded
 * @param generation            the shared-head generation of its members
 * @param scale                 mean and std of its rewards on the merger's reference set; null when not measured
 */
public record ModelVersion(String average, long version, URI uri, String sha256, String lineage, String strategy,
                           List<MemberInfo> members, Double validationAccuracy, Double membersMeanAccuracy,
                           Long rollbackOf, Instant publishedAt, Double accuracyStandardError, boolean withheld,
                           Freshness freshness, int generation, RewardScale scale) {

    public ModelVersion {
        members = List.copyOf(members);
    }

    /** A version without a reward scale (published before the merger measured one, or with no reference set). */
    public ModelVersion(String average, long version, URI uri, String sha256, String lineage, String strategy,
                        List<MemberInfo> members, Double validationAccuracy, Double membersMeanAccuracy,
                        Long rollbackOf, Instant publishedAt, Double accuracyStandardError, boolean withheld,
                        Freshness freshness, int generation) {
        this(average, version, uri, sha256, lineage, strategy, members, validationAccuracy, membersMeanAccuracy,
                rollbackOf, publishedAt, accuracyStandardError, withheld, freshness, generation, null);
    }

    /** A version of generation 0. */
    public ModelVersion(String average, long version, URI uri, String sha256, String lineage, String strategy,
                        List<MemberInfo> members, Double validationAccuracy, Double membersMeanAccuracy,
                        Long rollbackOf, Instant publishedAt, Double accuracyStandardError, boolean withheld,
                        Freshness freshness) {
        this(average, version, uri, sha256, lineage, strategy, members, validationAccuracy, membersMeanAccuracy,
                rollbackOf, publishedAt, accuracyStandardError, withheld, freshness, 0);
    }

    /**
     * When the version's newest data was made, from its event (null fields: unknown, e.g. a rollback): the newest
     * label's arrival, the checkpoint's time, and the newest member's queue wait and job time.
     */
    public record Freshness(Instant newestLabelAt, Instant checkpointAt, Long queueMs, Long trainingMs) {

        static Freshness of(WarmModelPublished e) {
            return new Freshness(e.getNewestLabelAt(), e.getCheckpointAt(), e.getNewestMemberQueueMs(),
                    e.getNewestMemberTrainingMs());
        }
    }

    /** One reward model of the average: ENS mode loads these. */
    public record MemberInfo(String jobId, URI uri, String sha256, double validationAccuracy, double weight) {
    }

    /** Reads a {@code warm.models} event; {@link IllegalArgumentException} naming the field if a URI is malformed. */
    public static ModelVersion of(WarmModelPublished e) {
        List<MemberInfo> members = e.getMembers().stream()
                .map(m -> new MemberInfo(m.getJobId(), uri(m.getUri(), "members[" + m.getJobId() + "].uri"),
                        m.getSha256(), m.getValidationAccuracy(), m.getWeight()))
                .toList();
        return new ModelVersion(e.getAverage(), e.getVersion(), uri(e.getUri(), "uri"), e.getSha256(), e.getLineage(),
                e.getStrategy(), members, e.getValidationAccuracy(), e.getMembersMeanAccuracy(), e.getRollbackOf(),
                e.getPublishedAt(), e.getAccuracyStandardError(), e.getWithheld(), Freshness.of(e), e.getGeneration(),
                scale(e));
    }

    /** The event's reward scale, if it carries a usable one (a zero or missing std cannot normalise). */
    private static RewardScale scale(WarmModelPublished e) {
        Double mean = e.getRewardMean();
        Double std = e.getRewardStd();
        if (mean == null || std == null || !Double.isFinite(mean) || !(std > 0) || !Double.isFinite(std)) {
            return null;
        }
        return new RewardScale(mean, std, e.getRewardScaleItems() == null ? 0 : e.getRewardScaleItems(),
                e.getRewardScaleReference());
    }

    private static URI uri(String s, String field) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(field + " is not a URI: " + s, ex);
        }
    }
}
