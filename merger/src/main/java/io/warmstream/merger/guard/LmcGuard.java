package io.warmstream.merger.guard;

import io.warmstream.merger.state.MemberInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The linear-mode-connectivity guard. WARM's premise is that models fine-tuned from one initialisation stay
 * linearly connected, so their average scores at least as well as its members. A member trained from another
 * initialisation (mislabelled lineage, a base swapped by accident) breaks that: the average collapses towards chance.
 * Before a version is published, the candidate average is scored on the merger's held-out labels and compared with
 * its members' mean accuracy on the same kind of labels; if it is worse by more than {@code margin} it is refused.
 *
 * <p>Each member is scored once, when the guard first needs it, and the result travels with the member in later
 * events; a member whose directory is gone counts with the trainer's own validation accuracy. With fewer than
 * {@code minLabels} held-out labels the guard says so in the log and lets the version through unchecked.
 *
 * <p>With {@code standardErrors} k > 0 the candidate is refused only when it is below the members' mean minus the
 * margin by more than k standard errors of the difference, sqrt((p_c (1 - p_c) + p_m (1 - p_m)) / n): members were
 * scored on the sample as it was when each was folded, the candidate on the sample now, so on a few hundred labels
 * the two differ by noise alone, and a refused checkpoint is never folded. A collapse towards chance, what the guard
 * is for, stays far beyond that.
 */
public final class LmcGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LmcGuard.class);

    private final boolean enabled;
    private final double margin;
    private final int minLabels;
    private final ModelScorer scorer;
    private final double standardErrors;

    public LmcGuard(boolean enabled, double margin, int minLabels, ModelScorer scorer) {
        this(enabled, margin, minLabels, scorer, 0);
    }

    /** @param standardErrors how many standard errors of the difference a refusal needs beyond the margin (0: none) */
    public LmcGuard(boolean enabled, double margin, int minLabels, ModelScorer scorer, double standardErrors) {
        if (!(margin >= 0) || margin > 1) {
            throw new IllegalArgumentException("warm.merger.guard.margin must be in [0, 1], got " + margin);
        }
        this.enabled = enabled;
        this.margin = margin;
        this.minLabels = Math.max(1, minLabels);
        this.scorer = scorer;
        if (!(standardErrors >= 0) || Double.isInfinite(standardErrors)) {
            throw new IllegalArgumentException("warm.merger.guard.standard-errors must be a finite number >= 0, got "
                    + standardErrors);
        }
        this.standardErrors = standardErrors;
    }

    /**
     * @param pairs        the held-out snapshot to score on
     * @param candidateSha weights hash of the candidate: a candidate identical to a member is scored once
     * @param members      the candidate's members, the new one included
     * @param newMember    job id of the member being added: if it cannot be scored, {@link UnscorableModelException}
     * @param locate       a member's model directory, or null if it is no longer available
     * @throws UnscorableModelException the new member or the candidate cannot be loaded and scored
     */
    public GuardVerdict check(HeldOutPairs pairs, Path candidate, String candidateSha, List<MemberInfo> members,
                              String newMember, Function<MemberInfo, Path> locate) {
        if (!enabled) {
            return GuardVerdict.skipped("LMC guard disabled (warm.merger.guard.enabled=false)", members);
        }
        if (pairs.size() < minLabels) {
            String why = "LMC guard skipped: only " + pairs.size() + " held-out labels, it needs "
                    + minLabels + " (warm.merger.guard.min-labels)";
            LOG.warn(why);
            return GuardVerdict.skipped(why, members);
        }
        Map<String, boolean[]> bySha = new HashMap<>();
        List<MemberInfo> scored = new ArrayList<>(members.size());
        double sum = 0;
        int known = 0;
        for (MemberInfo m : members) {
            MemberInfo s = m;
            if (m.holdoutAccuracy() == null) {
                boolean[] right = bySha.get(m.sha256());
                if (right == null) {
                    Path dir = safeLocate(locate, m);
                    if (dir != null) {
                        right = score(dir, pairs, m, m.jobId().equals(newMember));
                        if (right != null) {
                            bySha.put(m.sha256(), right);
                        }
                    }
                }
                s = right == null ? m : m.withHoldoutAccuracy(ModelScorer.accuracy(right));
            }
            scored.add(s);
            if (Double.isFinite(s.guardAccuracy())) {
                sum += s.guardAccuracy();
                known++;
            }
        }
        // Members with no accuracy at all (gone from the store, trainer reported none) do not count.
        double membersMean = known == 0 ? Double.NaN : sum / known;
        boolean[] candidateRight = bySha.get(candidateSha);
        if (candidateRight == null) {
            candidateRight = score(candidate, pairs, null, true);
        }
        double candidateAccuracy = ModelScorer.accuracy(candidateRight);
        double se = known == 0 ? 0 : Math.sqrt((candidateAccuracy * (1 - candidateAccuracy)
                + membersMean * (1 - membersMean)) / pairs.size());
        double bar = membersMean - margin - standardErrors * se;
        boolean refused = known > 0 && candidateAccuracy < bar;
        String noise = standardErrors == 0 ? ""
                : String.format(Locale.ROOT, " - %.1f x standard error %.4f", standardErrors, se);
        String detail = String.format(Locale.ROOT,
                "candidate accuracy %.4f on %d held-out labels %s members' mean %.4f - margin %.3f%s (%d members)",
                candidateAccuracy, pairs.size(), refused ? "<" : ">=", membersMean, margin, noise, members.size());
        return new GuardVerdict(true, refused, detail, pairs.size(), candidateAccuracy, membersMean, scored,
                candidateRight);
    }

    /** An older member that cannot be scored counts with its trainer accuracy; the new one or the candidate may not. */
    private boolean[] score(Path dir, HeldOutPairs pairs, MemberInfo member, boolean required) {
        try {
            return scorer.rankedRight(dir, pairs.pairs());
        } catch (RuntimeException e) {
            if (required) {
                throw new UnscorableModelException(dir, e);
            }
            LOG.warn("member {} at {} cannot be scored ({}); the guard counts its trainer accuracy {}",
                    member.jobId(), dir, e.toString(), member.validationAccuracy());
            return null;
        }
    }

    private static Path safeLocate(Function<MemberInfo, Path> locate, MemberInfo m) {
        try {
            return locate.apply(m);
        } catch (RuntimeException e) {
            LOG.warn("member {} is not in the store any more ({}); the guard counts its trainer accuracy {}",
                    m.jobId(), e.getMessage(), m.validationAccuracy());
            return null;
        }
    }
}
