package io.warmstream.merger.fold;

import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.merger.gate.HeldOutChecks;
import io.warmstream.merger.scale.ReferenceSet;
import io.warmstream.merger.gate.QualityGate;
import io.warmstream.merger.guard.UnscorableModelException;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.MemberInfo;
import io.warmstream.merger.store.StoreUris;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.merge.AverageFolder;
import io.warmstream.model.merge.FoldResult;
import io.warmstream.model.merge.IncompatibleModelException;
import io.warmstream.model.merge.MemberFigures;
import io.warmstream.model.merge.MergeMethod;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns one checkpoint into either the next version of the average (already written to the store under its
 * deterministic key, not yet published) or a rejection with a reason code. Nothing here talks to Kafka: the caller
 * publishes the outcome and commits the checkpoint's offset in one transaction.
 *
 * <p>Order of checks, cheapest first: already folded; trainer accuracy floor; what the merge method needs of a
 * member ({@link MergeMethod#requireWeighable}); generation and lineage named in the event; the directory and its
 * manifest (readable, signed, same lineage and SHA-256 as the event, {@link Vetting}); then the fold itself, which
 * checks tokenizer, tensor names, dtypes and shapes against the average (and the init model), streams every value
 * (NaN and infinity refused) and verifies every input's SHA-256 on a second thread; then the LMC guard. Each check
 * runs once; a refusal of the fold is mapped by its kind ({@link Vetting#refusal}). A candidate that passes them
 * all becomes the next version ({@link NextVersion}); the quality gate then decides whether it is served or
 * withheld ({@link HeldOutChecks}).
 *
 * <p>{@code state} is the running average of the checkpoint's own generation
 * ({@link AverageState#foldBaseFor}); a checkpoint of another generation is refused, never mixed in.
 */
public final class CheckpointProcessor {

    private final FoldSettings settings;
    private final CheckpointStore store;
    private final HeldOutChecks checks;
    private final NextVersion next;
    private final CandidateStaging staging;

    public CheckpointProcessor(FoldSettings settings, CheckpointStore store, HeldOutChecks checks,
                               VersionRetention retention, Clock clock) {
        this(settings, store, checks, retention, clock, null, CandidateStaging.NONE);
    }

    /**
     * @param reference the fixed set each version's reward scale is measured on; null: not measured
     * @param staging   told of each candidate before its held-out checks
     */
    public CheckpointProcessor(FoldSettings settings, CheckpointStore store, HeldOutChecks checks,
                               VersionRetention retention, Clock clock, ReferenceSet reference,
                               CandidateStaging staging) {
        this.settings = settings;
        this.store = store;
        this.checks = checks;
        this.next = new NextVersion(settings.average(), store, retention, clock, reference);
        this.staging = staging;
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
        MergeMethod method = settings.merge().strategy().method();
        if (state.hasFolded(jobId)) {
            throw new CheckpointRejection(ReasonCode.ALREADY_MEMBER, state.member(jobId) != null
                    ? "job " + jobId + " is already a member of version " + state.version()
                    : "job " + jobId + " was folded in before and is no longer a member; it is not folded twice");
        }
        // A job none of whose labels were held out reports NaN: unknown, not low. It passes the floor (the LMC
        // guard still scores it on the merger's own held-out labels); whether it can be weighed is the method's call.
        MemberFigures figures = new MemberFigures(cp.getValidationAccuracy(), cp.getValidationCount(),
                cp.getTrainCount());
        if (!figures.accuracyUnknown() && !(figures.accuracy() >= settings.minValidationAccuracy())) {
            throw new CheckpointRejection(ReasonCode.LOW_ACCURACY, String.format(Locale.ROOT,
                    "validation accuracy %s is below the floor %s (warm.merger.min-validation-accuracy)",
                    figures.accuracy(), settings.minValidationAccuracy()));
        }
        try {
            method.requireWeighable(figures);
        } catch (IncompatibleModelException e) {
            throw Vetting.refusal(e);
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
        long vetStart = System.nanoTime();
        Vetting vetting = new Vetting(store);
        Path dir = vetting.fetch(cp);
        ModelManifest manifest = vetting.manifest(cp, dir);
        Path current = started ? vetting.average(state) : null;
        double vetSeconds = StageTimes.since(vetStart);

        Path out = scratch(state.version() + 1);
        MemberInfo newMember = new MemberInfo(jobId, cp.getUri(), cp.getSha256(), cp.getValidationAccuracy(), 1.0,
                null);
        try {
            FoldResult result;
            try {
                // The folder checks lineage, tokenizer, tensors and values against the average (and the init
                // model): each checkpoint is checked there once, and a refusal is mapped by its kind.
                AverageFolder folder = new AverageFolder(settings.merge().withMemberLocator(m -> locate(state, m)));
                result = folder.fold(current, dir, jobId, method.weightOf(figures), out);
            } catch (IncompatibleModelException e) {
                throw Vetting.refusal(e);
            } catch (ModelFormatException | UncheckedIOException e) {
                throw vetting.diagnose(dir, cp, e);
            }
            List<MemberInfo> members = membersOf(result, state, newMember);
            staging.stage(settings.average(), state.version() + 1, cp.getGeneration(), result.directory(),
                    result.manifest().weightsSha256());
            long checksStart = System.nanoTime();
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
            StageTimes stages = new StageTimes(vetSeconds, result.seconds(), StageTimes.since(checksStart), 0);
            return next.write(state, cp, manifest.lineage().id(), settings.merge().strategy().name(), result, review,
                    stages);
        } finally {
            deleteTree(out);
        }
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
        DirectoryTree.delete(dir);
    }
}
