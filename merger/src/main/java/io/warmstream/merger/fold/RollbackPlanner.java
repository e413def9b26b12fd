package io.warmstream.merger.fold;

import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.merger.state.QualityFigures;
import io.warmstream.merger.state.VersionSidecar;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelFormatException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * Plans a rollback: the kept version is republished as a new version (the next number, {@code rollbackOf} set)
 * that shares the old version's directory, members and accuracy. Later folds continue from it, so the members
 * dropped by the rollback become former members and are never folded again.
 *
 * <p>A rollback is served whatever the quality gate would say: it is an operator's decision. That makes it the way to
 * serve a withheld version anyway (roll back to it, even when it is the newest), or to drop withheld folds and go on
 * from the served version (roll back to that).
 */
public final class RollbackPlanner {

    private final CheckpointStore store;
    private final VersionRetention retention;

    public RollbackPlanner(CheckpointStore store, VersionRetention retention) {
        this.store = store;
        this.retention = retention;
    }

    public Outcome.Publish plan(AverageState state, long target, Instant now) {
        KeptEntry entry = state.keptVersion(target);
        if (entry == null || !exists(entry)) {
            throw new RollbackRefused(RollbackRefused.Kind.UNKNOWN_VERSION, target, "version " + target
                    + " of average " + state.average() + " is not kept; kept versions: " + state.kept().stream()
                    .map(k -> String.valueOf(k.version())).collect(Collectors.joining(", ", "[", "]")));
        }
        if (target == state.version() && state.served()) {
            throw new RollbackRefused(RollbackRefused.Kind.ALREADY_CURRENT, target, "version " + target
                    + " is already the current version of average " + state.average());
        }
        Path dir;
        VersionSidecar.Content old;
        try {
            dir = store.fetch(URI.create(entry.uri())); // with model signing on, its signature (sidecar included)
            old = VersionSidecar.read(dir);
        } catch (ModelFormatException e) {
            throw new RollbackRefused(RollbackRefused.Kind.INVALID_VERSION, target, "version " + target
                    + " cannot be served again: " + e.getMessage());
        }
        long version = state.version() + 1;
        // The accuracy as measured when the target was made; no comparison, and served.
        QualityFigures quality = QualityFigures.accuracyOnly(entry.quality().accuracyStandardError());
        KeptEntry newest = new KeptEntry(version, entry.uri(), entry.sha256(), entry.memberCount(),
                entry.validationAccuracy(), target, now, null, quality, entry.generation());
        VersionRetention.Sweep sweep = retention.sweep(VersionRetention.withNewest(state.kept(), newest, version), now);
        AverageState next = new AverageState(state.average(), version, entry.uri(), entry.sha256(), state.lineage(),
                state.strategy(), old.members(), old.folds(), old.validationAccuracy(), old.membersMeanAccuracy(),
                old.holdoutLabels(), target, now, sweep.retained(), state.formerMembersAfter(old.members()), version,
                quality, entry.generation());
        // The target's rewards are what they were: its scale travels with it.
        return new Outcome.Publish(next, sweep.deleteUris(), StageTimes.NONE, VersionSidecar.readScale(dir));
    }

    private boolean exists(KeptEntry entry) {
        try {
            return store.exists(URI.create(entry.uri()));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
