package io.warmstream.merger.fold;

import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.merger.gate.HeldOutChecks;
import io.warmstream.merger.scale.ReferenceSet;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.merger.state.QualityFigures;
import io.warmstream.merger.state.RewardScaleFigures;
import io.warmstream.merger.state.VersionSidecar;
import io.warmstream.merger.store.StoreLayout;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.merge.FoldResult;
import io.warmstream.model.store.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Turns a fold that passed every check into the next version: its state, its sidecar and reward scale, its directory
 * in the store under the version's deterministic key, and the kept list after retention. Not yet published: the
 * caller commits the outcome.
 */
final class NextVersion {

    private static final Logger LOG = LoggerFactory.getLogger(NextVersion.class);

    private final String average;
    private final CheckpointStore store;
    private final VersionRetention retention;
    private final Clock clock;
    private final ReferenceSet reference;

    /** @param reference the fixed set each version's reward scale is measured on; null: not measured */
    NextVersion(String average, CheckpointStore store, VersionRetention retention, Clock clock,
                ReferenceSet reference) {
        this.average = average;
        this.store = store;
        this.retention = retention;
        this.clock = clock;
        this.reference = reference;
    }

    /**
     * @param state   the version folded into
     * @param lineage the checkpoint's lineage (its manifest's)
     * @param before  the stages so far (the write's own time is added)
     */
    Outcome.Publish write(AverageState state, RewardModelCheckpoint cp, String lineage, String strategy,
                          FoldResult result, HeldOutChecks.Result review, StageTimes before) {
        long started = System.nanoTime();
        long version = state.version() + 1;
        Instant now = clock.instant();
        QualityFigures quality = review.figures();
        // A withheld version is the average's newest (the next checkpoint folds into it), not the one to serve.
        long served = quality.withheld() ? state.servedVersion() : version;
        AverageState draft = new AverageState(average, version, null, result.manifest().weightsSha256(),
                lineage, strategy, review.guard().members(),
                result.manifest().merge().folds(), review.accuracy(), review.guard().membersMeanAccuracy(),
                review.labels(), null, now, List.of(), state.formerMembersAfter(review.guard().members()), served,
                quality, cp.getGeneration());
        RewardScaleFigures scale = measureScale(result.directory(), version);
        VersionSidecar.write(result.directory(), draft, scale);
        String uri = put(StoreLayout.versionKey(average, version), result.directory());
        KeptEntry entry = new KeptEntry(version, uri, draft.sha256(), draft.members().size(),
                draft.validationAccuracy(), null, now, null, quality, cp.getGeneration());
        VersionRetention.Sweep sweep = retention.sweep(VersionRetention.withNewest(state.kept(), entry, served), now);
        AverageState next = new AverageState(draft.average(), version, uri, draft.sha256(), draft.lineage(),
                draft.strategy(), draft.members(), draft.folds(), draft.validationAccuracy(),
                draft.membersMeanAccuracy(), draft.holdoutLabels(), null, now, sweep.retained(),
                draft.formerMembers(), served, quality, cp.getGeneration());
        return new Outcome.Publish(next, sweep.deleteUris(), before.withWriteSeconds(StageTimes.since(started)), scale);
    }

    /** The version's reward scale, or null (no reference set, or it could not be scored: never blocks a version). */
    private RewardScaleFigures measureScale(Path dir, long version) {
        if (reference == null) {
            return null;
        }
        try {
            return reference.measure(dir);
        } catch (RuntimeException e) {
            LOG.warn("reward scale of version {} not measured on {}: {}", version, reference.name(), e.toString());
            return null;
        }
    }

    private String put(String key, Path dir) {
        try {
            return store.put(key, dir).toString();
        } catch (RuntimeException e) {
            throw new MergerFault("cannot write " + key + " to the checkpoint store: " + e.getMessage(), e);
        }
    }
}
