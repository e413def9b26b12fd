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
 *
 * <p>With {@code deferNewMember} the new member is scored on the checkpoint's path only when its figure is needed:
 * a candidate that clears its earlier members' bar passes, and the new member is scored on the merger's background
 * thread ({@link #scoreDeferred}) for the checkpoints after it; a candidate below that bar is judged by the full rule,
 * the new member scored first, so nothing is refused that the full rule would pass. What this gives up: a candidate
 * that gains nothing from a new member much better than the earlier ones passes (the quality gate still compares it
 * with the served version). What it saves: loading and scoring one model between a checkpoint and its publication.
 * A candidate equal to its new member (the first of a generation) is scored anyway, as the candidate.
 */
public final class LmcGuard {

    private static final Logger LOG = LoggerFactory.getLogger(LmcGuard.class);

    private final boolean enabled;
    private final double margin;
    private final int minLabels;
    private final PairRanker scorer;
    private final double standardErrors;
    private final DeferredMemberScores deferred;

    public LmcGuard(boolean enabled, double margin, int minLabels, PairRanker scorer) {
        this(enabled, margin, minLabels, scorer, 0);
    }

    /** A guard that scores the new member on the checkpoint's path. */
    public LmcGuard(boolean enabled, double margin, int minLabels, PairRanker scorer, double standardErrors) {
        this(enabled, margin, minLabels, scorer, standardErrors, false);
    }

    /**
     * @param standardErrors how many standard errors of the difference a refusal needs beyond the margin (0: none)
     * @param deferNewMember score the new member after publication, on the background thread (see the class notes)
     */
    public LmcGuard(boolean enabled, double margin, int minLabels, PairRanker scorer, double standardErrors,
                    boolean deferNewMember) {
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
        this.deferred = deferNewMember ? new DeferredMemberScores() : null;
    }

    /**
     * Leaves every member of {@code members} without a held-out accuracy to the background (members folded while the
     * sample was too small for the guard), so the next checkpoint does not score them on its path. Quiet: a member
     * that cannot be located now is scored, or counted with its trainer accuracy, by the next check as before.
     */
    public void deferUnscored(List<MemberInfo> members, Function<MemberInfo, Path> locate) {
        if (deferred == null || !enabled) {
            return;
        }
        for (MemberInfo m : members) {
            // Asked before locating: a store fetch verifies the directory's signature, hashing its weights.
            if (m.holdoutAccuracy() == null && deferred.wants(m.sha256())) {
                try {
                    Path dir = locate.apply(m);
                    if (dir != null) {
                        deferred.defer(m.sha256(), dir);
                    }
                } catch (RuntimeException e) {
                    LOG.debug("member {} not located for background scoring ({})", m.jobId(), e.toString());
                }
            }
        }
    }

    /**
     * Scores the new members left for after publication on {@code pairs}; the merger's background thread calls this
     * between checkpoints. Returns how many it scored.
     */
    public int scoreDeferred(HeldOutPairs pairs) {
        return deferred == null || !enabled || pairs.size() < minLabels ? 0 : deferred.scoreWaiting(pairs, scorer);
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
        int deferredAt = -1;
        Path deferredDir = null;
        for (MemberInfo m : members) {
            Double late = m.holdoutAccuracy() == null && deferred != null ? deferred.accuracy(m.sha256()) : null;
            if (late != null) {
                scored.add(m.withHoldoutAccuracy(late));
                continue;
            }
            if (m.holdoutAccuracy() == null && deferred != null && m.jobId().equals(newMember)
                    && !m.sha256().equals(candidateSha)) {
                deferredDir = safeLocate(locate, m);
                if (deferredDir != null) {
                    deferredAt = scored.size();
                    scored.add(m);
                    continue;
                }
            }
            scored.add(withScore(m, pairs, locate, newMember, bySha));
        }
        boolean[] candidateRight = bySha.get(candidateSha);
        if (candidateRight == null) {
            candidateRight = score(candidate, pairs, null, true);
        }
        double candidateAccuracy = PairRanker.accuracy(candidateRight);
        Bar bar = bar(candidateAccuracy, scored, deferredAt, pairs.size());
        if (deferredAt >= 0 && bar.refuses(candidateAccuracy)) {
            // Below the earlier members' bar: the new member's own figure could change the verdict, so it is needed.
            scored.set(deferredAt, withScore(scored.get(deferredAt), pairs, locate, newMember, bySha));
            deferredAt = -1;
            bar = bar(candidateAccuracy, scored, -1, pairs.size());
        } else if (deferredAt >= 0) {
            deferred.defer(scored.get(deferredAt).sha256(), deferredDir);
        }
        boolean refused = bar.refuses(candidateAccuracy);
        String noise = standardErrors == 0 ? ""
                : String.format(Locale.ROOT, " - %.1f x standard error %.4f", standardErrors, bar.se());
        String detail = String.format(Locale.ROOT,
                "candidate accuracy %.4f on %d held-out labels %s %smembers' mean %.4f - margin %.3f%s (%d members%s)",
                candidateAccuracy, pairs.size(), refused ? "<" : ">=", deferredAt >= 0 ? "earlier " : "",
                bar.membersMean(), margin, noise, members.size(),
                deferredAt >= 0 ? "; the new one is scored after publication" : "");
        return new GuardVerdict(true, refused, detail, pairs.size(), candidateAccuracy, bar.membersMean(), scored,
                candidateRight);
    }

    /** The members' mean accuracy and the bar a candidate must reach; {@code known} 0: no bar. */
    private record Bar(double membersMean, int known, double se, double level) {

        boolean refuses(double candidateAccuracy) {
            return known > 0 && candidateAccuracy < level;
        }
    }

    /** The bar from the members' accuracies, leaving out the one at {@code skip} (-1: none). */
    private Bar bar(double candidateAccuracy, List<MemberInfo> members, int skip, int labels) {
        double sum = 0;
        int known = 0;
        for (int i = 0; i < members.size(); i++) {
            double a = members.get(i).guardAccuracy();
            // Members with no accuracy at all (gone from the store, trainer reported none) do not count.
            if (i != skip && Double.isFinite(a)) {
                sum += a;
                known++;
            }
        }
        double mean = known == 0 ? Double.NaN : sum / known;
        double se = known == 0 ? 0 : Math.sqrt((candidateAccuracy * (1 - candidateAccuracy)
                + mean * (1 - mean)) / labels);
        return new Bar(mean, known, se, mean - margin - standardErrors * se);
    }

    /** {@code m} with its held-out accuracy, scored now (once per weights hash) if it can be found. */
    private MemberInfo withScore(MemberInfo m, HeldOutPairs pairs, Function<MemberInfo, Path> locate,
                                 String newMember, Map<String, boolean[]> bySha) {
        if (m.holdoutAccuracy() != null) {
            return m;
        }
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
        return right == null ? m : m.withHoldoutAccuracy(PairRanker.accuracy(right));
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
