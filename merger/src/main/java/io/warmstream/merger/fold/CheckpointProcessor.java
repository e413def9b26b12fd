package io.warmstream.merger.fold;

import io.warmstream.platform.FileTrees;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.merger.gate.HeldOutChecks;
import io.warmstream.merger.scale.ReferenceSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.warmstream.merger.state.RewardScaleFigures;
import io.warmstream.merger.gate.QualityGate;
import io.warmstream.merger.guard.UnscorableModelException;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.merger.state.MemberInfo;
import io.warmstream.merger.state.QualityFigures;
import io.warmstream.merger.state.VersionSidecar;
import io.warmstream.merger.store.StoreLayout;
import io.warmstream.merger.store.StoreUris;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.merge.AlreadyMemberException;
import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.FoldResult;
import io.warmstream.model.merge.IncompatibleModelException;
import io.warmstream.model.merge.MergeStrategy;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.ModelDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one checkpoint into either the next version of the average (already written to the store under its
 * deterministic key, not yet published) or a rejection with a reason code. Nothing here talks to Kafka: the caller
 * publishes the outcome and commits the checkpoint's offset in one transaction.
 *
 * <p>Order of checks, cheapest first: already folded; trainer accuracy floor; lineage named in the event; the
 * directory and its manifest (readable, same lineage and SHA-256 as the event); tokenizer, tensor names, dtypes and
 * shapes against the average ({@link Vetting}); then the fold itself, which streams every value (NaN and infinity
 * refused) and verifies every input's SHA-256 on a second thread; then the LMC guard. A candidate that passes them
 * all becomes the next version; the quality gate then decides whether it is served or withheld
 * ({@link HeldOutChecks}).
 *
 * <p>{@code state} is the running average of the checkpoint's own generation
 * ({@link AverageState#foldBaseFor}); a checkpoint of another generation is refused, never mixed in.
 */
public final class CheckpointProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointProcessor.class);

    private final FoldSettings settings;
    private final CheckpointStore store;
    private final HeldOutChecks checks;
    private final VersionRetention retention;
    private final Clock clock;
    private final ReferenceSet reference;

    public CheckpointProcessor(FoldSettings settings, CheckpointStore store, HeldOutChecks checks,
                               VersionRetention retention, Clock clock) {
        this(settings, store, checks, retention, clock, null);
    }

    /** @param reference the fixed set each version's reward scale is measured on; null: not measured */
    public CheckpointProcessor(FoldSettings settings, CheckpointStore store, HeldOutChecks checks,
                               VersionRetention retention, Clock clock, ReferenceSet reference) {
        this.settings = settings;
        this.store = store;
        this.checks = checks;
        this.retention = retention;
        this.clock = clock;
        this.reference = reference;
    }

    public FoldSettings settings() {
        return settings;
    }

    public Outcome process(RewardModelCheckpoint cp, AverageState state) {
        try {
            return fold(cp, state);
        } catch (CheckpointRejection r) {
            if (r.code() == ReasonCode.UNREADABLE) {
                requireStoreReachable(cp, r);
            }
            return new Outcome.Reject(r.code(), r.getMessage());
        }
    }

    /**
     * An unreadable checkpoint is its own fault only if the store can be reached: a store that vanished or became
     * unreadable halfway through the checks (files gone, permissions lost) makes the read fail too, and that is an
     * outage to wait out, never a rejection.
     */
    private void requireStoreReachable(RewardModelCheckpoint cp, CheckpointRejection r) {
        try {
            store.requireReachable(StoreUris.resolve(store, cp.getUri()));
        } catch (StoreUnavailableException e) {
            throw new MergerFault("checkpoint " + cp.getJobId() + " could not be read (" + r.getMessage()
                    + ") while the store is unreachable: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // not a URI of this store: the rejection stands
        }
    }

    private Outcome.Publish fold(RewardModelCheckpoint cp, AverageState state) {
        String jobId = cp.getJobId();
        MergeStrategy strategy = settings.merge().strategy();
        if (state.hasFolded(jobId)) {
            throw new CheckpointRejection(ReasonCode.ALREADY_MEMBER, state.member(jobId) != null
                    ? "job " + jobId + " is already a member of version " + state.version()
                    : "job " + jobId + " was folded in before and is no longer a member; it is not folded twice");
        }
        double accuracy = cp.getValidationAccuracy();
        // A job none of whose labels were held out reports NaN: unknown, not low. It passes the floor (the LMC
        // guard still scores it on the merger's own held-out labels) but cannot be weighed by accuracy.
        boolean unknown = Double.isNaN(accuracy) && cp.getValidationCount() == 0;
        if (unknown && strategy == MergeStrategy.ACCURACY_WEIGHTED) {
            throw new CheckpointRejection(ReasonCode.LOW_ACCURACY, "no validation accuracy (validationCount 0): "
                    + "an accuracy-weighted average cannot weigh it");
        }
        if (!unknown && (!(accuracy >= settings.minValidationAccuracy())
                || (strategy == MergeStrategy.ACCURACY_WEIGHTED && !(accuracy > 0)))) {
            throw new CheckpointRejection(ReasonCode.LOW_ACCURACY, String.format(Locale.ROOT,
                    "validation accuracy %s is below the floor %s (warm.merger.min-validation-accuracy)",
                    accuracy, settings.minValidationAccuracy()));
        }
        if (strategy == MergeStrategy.DATA_SIZE_WEIGHTED && cp.getTrainCount() <= 0) {
            throw new CheckpointRejection(ReasonCode.LOW_ACCURACY, "trainCount " + cp.getTrainCount()
                    + ": a data-size-weighted average weighs each member by its training labels and needs at least one");
        }
        boolean started = state.uri() != null; // this generation has an average to fold into
        if (started && state.generation() != cp.getGeneration()) {
            throw new CheckpointRejection(ReasonCode.GENERATION_MISMATCH, "checkpoint of generation "
                    + cp.getGeneration() + " cannot be folded into version " + state.version() + " of generation "
                    + state.generation() + ": members of different shared heads are not linearly connected");
        }
        String expected = started ? state.lineage() : settings.lineage();
        if (expected != null && !expected.equals(cp.getLineage())) {
            throw new CheckpointRejection(ReasonCode.LINEAGE_MISMATCH, "checkpoint lineage " + cp.getLineage()
                    + " != average " + settings.average() + "'s lineage " + expected);
        }
        Vetting vetting = new Vetting(store);
        Path dir = vetting.fetch(cp);
        ModelManifest manifest = vetting.manifest(cp, dir);
        Path current = started ? vetting.average(state) : null;
        Path init = settings.merge().initModel();
        if (current != null) {
            vetting.requireCompatible(current, dir, cp);
        }
        if (init != null && strategy == MergeStrategy.SLERP_LITI) {
            vetting.requireCompatible(init, dir, cp);
        }
        if (current == null && init == null) {
            vetting.requireReadableWeights(dir, cp);
        }

        long version = state.version() + 1;
        Path out = scratch(version);
        MemberInfo newMember = new MemberInfo(jobId, cp.getUri(), cp.getSha256(), accuracy, 1.0, null);
        try {
            FoldResult result;
            try {
                AverageFolder folder = new AverageFolder(settings.merge().withMemberLocator(m -> locate(state, m)));
                result = folder.fold(current, dir, jobId, weightOf(cp, strategy, unknown), out);
            } catch (AlreadyMemberException e) {
                throw new CheckpointRejection(ReasonCode.ALREADY_MEMBER, e.getMessage());
            } catch (IncompatibleModelException e) {
                // Names, shapes, dtypes and lineage passed above: what is left is a non-finite value.
                throw new CheckpointRejection(ReasonCode.NON_FINITE, e.getMessage());
            } catch (ModelFormatException e) {
                throw vetting.diagnose(dir, cp, e);
            }
            List<MemberInfo> members = membersOf(result, state, newMember);
            HeldOutChecks.Result review;
            try {
                review = checks.review(result.directory(), result.manifest().weightsSha256(), cp.getGeneration(),
                        members, jobId,
                        m -> m.jobId().equals(jobId) ? dir : store.fetch(StoreUris.resolve(store, m.uri())),
                        QualityGate.ServedModel.of(state, store));
            } catch (UnscorableModelException e) {
                // Deterministic for the checkpoint at hand: refuse it rather than retry it forever.
                throw new CheckpointRejection(e.dir().equals(dir) ? ReasonCode.UNREADABLE : ReasonCode.LMC_GUARD,
                        e.getMessage() + "; version " + state.version() + " stays current");
            }
            if (review.refused()) {
                throw new CheckpointRejection(ReasonCode.LMC_GUARD, review.guard().detail() + "; version "
                        + state.version() + " stays current");
            }
            Instant now = clock.instant();
            QualityFigures quality = review.figures();
            // A withheld version is the average's newest (the next checkpoint folds into it), not the one to serve.
            long served = quality.withheld() ? state.servedVersion() : version;
            AverageState draft = new AverageState(settings.average(), version, null, result.manifest().weightsSha256(),
                    manifest.lineage().id(), strategy.name(), review.guard().members(),
                    result.manifest().merge().folds(), review.accuracy(), review.guard().membersMeanAccuracy(),
                    review.labels(), null, now, List.of(), state.formerMembersAfter(review.guard().members()), served,
                    quality, cp.getGeneration());
            RewardScaleFigures scale = measureScale(result.directory(), version);
            VersionSidecar.write(result.directory(), draft, scale);
            String uri = put(StoreLayout.versionKey(settings.average(), version), result.directory());
            KeptEntry entry = new KeptEntry(version, uri, draft.sha256(), draft.members().size(),
                    draft.validationAccuracy(), null, now, null, quality, cp.getGeneration());
            VersionRetention.Sweep sweep = retention.sweep(VersionRetention.withNewest(state.kept(), entry, served),
                    now);
            AverageState next = new AverageState(draft.average(), version, uri, draft.sha256(), draft.lineage(),
                    draft.strategy(), draft.members(), draft.folds(), draft.validationAccuracy(),
                    draft.membersMeanAccuracy(), draft.holdoutLabels(), null, now, sweep.retained(),
                    draft.formerMembers(), served, quality, cp.getGeneration());
            return new Outcome.Publish(next, sweep.deleteUris(), result.seconds(), scale);
        } finally {
            deleteTree(out);
        }
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

    /** What a weighted strategy weighs the member by; the others ignore it. */
    private static double weightOf(RewardModelCheckpoint cp, MergeStrategy strategy, boolean accuracyUnknown) {
        return switch (strategy) {
            case DATA_SIZE_WEIGHTED -> cp.getTrainCount();
            case ACCURACY_WEIGHTED -> cp.getValidationAccuracy();
            default -> accuracyUnknown ? 1.0 : cp.getValidationAccuracy();
        };
    }

    /** The fold's member list (order, weights, window eviction) joined with what the merger knows of each member. */
    private static List<MemberInfo> membersOf(FoldResult result, AverageState state, MemberInfo newMember) {
        List<MemberInfo> out = new ArrayList<>();
        for (Member m : result.manifest().merge().members()) {
            MemberInfo known = m.jobId().equals(newMember.jobId()) ? newMember : state.member(m.jobId());
            if (known == null) {
                throw new MergerFault("average " + state.uri() + " has member " + m.jobId()
                        + " that the published state does not list", null);
            }
            out.add(known.withWeight(m.weight()));
        }
        return out;
    }

    /** A sliding window member's directory, from the URI the state recorded for it. */
    private Path locate(AverageState state, Member member) {
        MemberInfo info = state.member(member.jobId());
        if (info == null) {
            throw new MergerFault("window member " + member.jobId() + " is not in the published state", null);
        }
        try {
            return store.fetch(StoreUris.resolve(store, info.uri()));
        } catch (RuntimeException e) {
            throw new MergerFault("window member " + member.jobId() + " is gone from the store (" + info.uri()
                    + "); a sliding window needs its members' checkpoints", e);
        }
    }

    private String put(String key, Path dir) {
        try {
            return store.put(key, dir).toString();
        } catch (RuntimeException e) {
            throw new MergerFault("cannot write " + key + " to the checkpoint store: " + e.getMessage(), e);
        }
    }

    private Path scratch(long version) {
        Path out = settings.workDir().resolve("candidate-" + settings.average() + "-v" + version);
        deleteTree(out);
        try {
            Files.createDirectories(settings.workDir());
        } catch (IOException e) {
            throw new MergerFault("cannot create the work directory " + settings.workDir(), e);
        }
        return out;
    }

    static void deleteTree(Path dir) {
        FileTrees.delete(dir);
    }
}
