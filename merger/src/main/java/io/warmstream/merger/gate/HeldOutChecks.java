package io.warmstream.merger.gate;

import io.warmstream.merger.guard.GuardVerdict;
import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.guard.LmcGuard;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.merger.state.MemberInfo;
import io.warmstream.merger.state.QualityFigures;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The checks a candidate average goes through on held-out labels, in order: the LMC guard (refuses it outright) and
 * the quality gate (withholds it from serving). Both judge it on one snapshot of the sample, so the candidate is
 * scored once and its per-pair results are what the gate compares with the served version's.
 */
public final class HeldOutChecks {

    /**
     * @param guard    the LMC guard's verdict (members with their held-out accuracies)
     * @param gate     the quality gate's verdict; null when the guard refused the candidate
     * @param accuracy the candidate's held-out accuracy, by whichever check scored it; null if neither did
     * @param labels   held-out labels it was scored on; 0 if it was not
     */
    public record Result(GuardVerdict guard, GateVerdict gate, Double accuracy, int labels) {

        public boolean refused() {
            return guard.refused();
        }

        /** The figures recorded with the version. */
        public QualityFigures figures() {
            Double se = accuracy == null ? null : finite(PairedComparison.accuracyStandardError(accuracy, labels));
            if (gate == null || !gate.compared()) {
                return gate != null && gate.withheld()
                        ? new QualityFigures(se, null, null, null, null, true, gate.detail())
                        : QualityFigures.accuracyOnly(se);
            }
            PairedComparison c = gate.comparison();
            return new QualityFigures(se, gate.comparedWith(), c.servedAccuracy(), c.difference(),
                    finite(c.differenceStandardError()), gate.withheld(), gate.withheld() ? gate.detail() : null);
        }

        private static Double finite(double d) {
            return Double.isFinite(d) ? d : null;
        }
    }

    private final HoldoutSample sample;
    private final LmcGuard guard;
    private final QualityGate gate;
    private final PairRanker scorer;

    public HeldOutChecks(HoldoutSample sample, LmcGuard guard, QualityGate gate) {
        this(sample, guard, gate, null);
    }

    /** {@code scorer}: the checks' scorer, told about a candidate neither check scored (see {@link PairRanker#prepare}). */
    public HeldOutChecks(HoldoutSample sample, LmcGuard guard, QualityGate gate, PairRanker scorer) {
        this.sample = sample;
        this.guard = guard;
        this.gate = gate;
        this.scorer = scorer;
    }

    /**
     * Between checkpoints (the merger's background thread): scores the served version on labels it lacks, and the
     * running average's members that have no held-out accuracy yet (the new members the guard left for later, and
     * members folded before the sample was large enough), so the next checkpoint scores only its own models.
     *
     * @param members the running average's members now; {@code locate} finds a member's directory
     */
    public void prewarm(HeldOutPairs pairs, QualityGate.ServedModel served, List<MemberInfo> members,
                        Function<MemberInfo, Path> locate) {
        gate.prewarm(pairs, served);
        guard.deferUnscored(members, locate);
        guard.scoreDeferred(pairs);
    }

    /** Held-out labels in the sample now. */
    public int sampleSize() {
        return sample.size();
    }

    /**
     * @param members   the candidate's members, the new one included
     * @param newMember job id of the member being added
     * @param locate    a member's model directory (see {@link LmcGuard#check})
     * @param served    the version served now, or null if none is
     * @throws io.warmstream.merger.guard.UnscorableModelException the new member or the candidate cannot be scored
     */
    public Result review(Path candidate, String candidateSha, List<MemberInfo> members, String newMember,
                         Function<MemberInfo, Path> locate, QualityGate.ServedModel served) {
        return review(candidate, candidateSha, 0, members, newMember, locate, served);
    }

    /** {@link #review(Path, String, List, String, Function, QualityGate.ServedModel)} of a candidate of {@code generation}. */
    public Result review(Path candidate, String candidateSha, int generation, List<MemberInfo> members,
                         String newMember, Function<MemberInfo, Path> locate, QualityGate.ServedModel served) {
        HeldOutPairs pairs = sample.snapshot();
        GuardVerdict verdict = guard.check(pairs, candidate, candidateSha, members, newMember, locate);
        if (verdict.refused()) {
            return new Result(verdict, null, verdict.candidateAccuracy(), verdict.labels());
        }
        GateVerdict gated = gate.judge(pairs, new QualityGate.Candidate(candidate, candidateSha,
                verdict.candidateRankedRight(), generation), served);
        boolean[] right = verdict.candidateRankedRight() != null ? verdict.candidateRankedRight()
                : gated.candidateRankedRight();
        if (right == null && scorer != null) {
            scorer.prepare(candidate);
        }
        return right == null ? new Result(verdict, gated, null, 0)
                : new Result(verdict, gated, PairRanker.accuracy(right), pairs.size());
    }
}
