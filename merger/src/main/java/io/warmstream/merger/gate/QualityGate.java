package io.warmstream.merger.gate;

import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.merger.guard.UnscorableModelException;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.model.store.CheckpointStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The quality gate: every candidate average is compared, pair by pair on the same held-out labels, with the version
 * scorers serve now. If it is worse by more than {@code standardErrors} paired standard errors it is withheld:
 * recorded with its figures, and the running average goes on from it, but scorers keep the served version. The next
 * checkpoint folds into the withheld average and is compared with the served version again, so a dip that later
 * folds recover from costs nothing but the wait.
 *
 * <p>Why paired: two versions of one average rank most pairs alike, so the per-pair differences vary far less than
 * either accuracy; the paired standard error tells a real loss from the luck of the sample with far fewer labels.
 *
 * <p>Why it lets a candidate through when it cannot compare (gate off, no served version, too few labels, the served
 * version cannot be scored): withholding every version because the yardstick is missing would freeze the average for
 * good; the log says why no comparison was made.
 *
 * <p>Generations: a candidate of a newer generation than the served version (a new shared head; its members are not
 * linearly connected with the served ones) replaces it only if it is better by more than {@code standardErrors}
 * paired standard errors: a switch throws away the served generation's average, so it needs evidence, not just
 * no evidence against. Without a comparison (too few labels, served version unscorable) it is withheld and the
 * served generation goes on. A candidate of an older generation than the served one (a late member of a
 * superseded generation) is never served.
 */
public final class QualityGate {

    private static final Logger LOG = LoggerFactory.getLogger(QualityGate.class);

    /** The candidate average: its directory, weights hash, and its per-pair results if the guard scored it. */
    public record Candidate(Path dir, String sha256, boolean[] rankedRight, int generation) {

        /** A candidate of generation 0. */
        public Candidate(Path dir, String sha256, boolean[] rankedRight) {
            this(dir, sha256, rankedRight, 0);
        }
    }

    /** The served version; {@code dir} fetches its directory from the store, only if its results are not known. */
    public record ServedModel(long version, String sha256, Supplier<Path> dir, int generation) {

        /** A served version of generation 0. */
        public ServedModel(long version, String sha256, Supplier<Path> dir) {
            this(version, sha256, dir, 0);
        }

        /** The version {@code state} serves, or null if it serves none yet. */
        public static ServedModel of(AverageState state, CheckpointStore store) {
            if (state.servedVersion() <= 0) {
                return null;
            }
            KeptEntry e = state.servedEntry();
            if (e == null) {
                // Retention always keeps the served version; should it be missing, the gate says so and lets through.
                return new ServedModel(state.servedVersion(), "missing-v" + state.servedVersion(), () -> {
                    throw new IllegalStateException("it is not among the kept versions");
                }, state.servedGeneration());
            }
            return new ServedModel(e.version(), e.sha256(), () -> store.fetch(URI.create(e.uri())), e.generation());
        }
    }

    private final GateSettings settings;
    private final PairRanker scorer;
    private final ServedScores served = new ServedScores();

    public QualityGate(GateSettings settings, PairRanker scorer) {
        this.settings = settings;
        this.scorer = scorer;
    }

    public GateSettings settings() {
        return settings;
    }

    /**
     * @param pairs     the held-out snapshot the checkpoint is judged on (the guard's)
     * @param candidate the candidate; scored here if the guard did not
     * @param current   the served version, or null if none is served yet
     * @throws UnscorableModelException the candidate cannot be loaded and scored
     */
    public GateVerdict judge(HeldOutPairs pairs, Candidate candidate, ServedModel current) {
        if (current != null && candidate.generation() < current.generation()) {
            return GateVerdict.withheldUncompared("superseded generation: generation " + candidate.generation()
                    + " is older than the served version " + current.version() + "'s generation "
                    + current.generation(), candidate.rankedRight());
        }
        boolean switching = current != null && candidate.generation() > current.generation();
        if (!settings.enabled()) {
            return GateVerdict.notCompared("quality gate disabled (warm.merger.gate.enabled=false)",
                    candidate.rankedRight());
        }
        if (pairs.size() < settings.minLabels()) {
            String why = "quality gate skipped: only " + pairs.size() + " held-out labels, it needs "
                    + settings.minLabels() + " (warm.merger.gate.min-labels)";
            LOG.warn(why);
            return switching ? keepGeneration(why, current, candidate.generation(), candidate.rankedRight())
                    : GateVerdict.notCompared(why, candidate.rankedRight());
        }
        boolean[] right = candidate.rankedRight() != null ? candidate.rankedRight() : score(candidate, pairs);
        if (current == null) {
            served.remember(candidate.sha256(), pairs, right);
            return GateVerdict.notCompared("no served version yet: nothing to compare with", right);
        }
        ServedScores.Results servedResults;
        try {
            servedResults = servedResults(current, pairs);
        } catch (RuntimeException e) {
            String why = "served version " + current.version() + " cannot be scored (" + e.getMessage() + ")";
            if (switching) {
                LOG.warn(why, e);
                return keepGeneration(why, current, candidate.generation(), right);
            }
            why += "; the candidate is served without comparison";
            LOG.warn(why, e);
            served.remember(candidate.sha256(), pairs, right);
            return GateVerdict.notCompared(why, right);
        }
        if (servedResults.scoredNow() > 0) {
            // The gate's own cost: the served version on labels it was not scored on yet (a restart: all of them).
            LOG.info("quality gate: served version {} scored on {} held-out labels in {} ms, loading included",
                    current.version(), servedResults.scoredNow(), servedResults.millis());
        }
        Boolean[] servedRight = servedResults.rankedRight();
        int leftOut = pairs.size() - servedResults.known();
        PairedComparison c = pairedWhereKnown(right, servedRight);
        double k = settings.standardErrors();
        boolean withheld = switching ? !c.betterBeyond(k) : c.worseBeyond(k);
        String rule = switching
                ? String.format(Locale.ROOT, "%s +%.2f x", withheld ? "<=" : ">", k)
                : String.format(Locale.ROOT, "%s -%.2f x", withheld ? "<" : ">=", k);
        String detail = String.format(Locale.ROOT, "%sheld-out accuracy %.4f +- %.4f vs served version %d's %.4f on "
                        + "the same %d labels (%d of them scored for it now%s): paired difference %+.4f %s "
                        + "standard error %.4f, %s", switching ? "generation " + candidate.generation()
                        + " against served generation " + current.generation() + ": " : "",
                c.candidateAccuracy(), c.candidateStandardError(), current.version(), c.servedAccuracy(), c.n(),
                servedResults.scoredNow(), leftOut == 0 ? "" : "; " + leftOut + " newer ones left out",
                c.difference(), rule, c.differenceStandardError(), withheld ? "withheld" : "served");
        if (!withheld) {
            served.remember(candidate.sha256(), pairs, right);
        }
        return new GateVerdict(true, withheld, detail, current.version(), c, right);
    }

    /**
     * Scores the served version on held-out labels it has no results for yet, off the checkpoint's path (the
     * merger's background thread, between checkpoints). It waits until half the share a comparison may leave out is
     * missing, so the served version is loaded once per few new labels, not once per label. Never throws: the next
     * checkpoint scores what is missing.
     */
    public void prewarm(HeldOutPairs pairs, ServedModel current) {
        if (!settings.enabled() || current == null || pairs.size() < settings.minLabels()) {
            return;
        }
        int missing = pairs.size() - served.known(current.sha256(), pairs).known();
        if (missing < Math.max(1, (int) (settings.maxUnscoredShare() * pairs.size() / 2))) {
            return;
        }
        try {
            ServedScores.Results r = served.rankedRight(current.sha256(), pairs, current.dir(), scorer);
            if (r.scoredNow() > 0) {
                LOG.debug("quality gate: served version {} scored on {} new held-out labels in {} ms (background)",
                        current.version(), r.scoredNow(), r.millis());
            }
        } catch (RuntimeException e) {
            LOG.debug("quality gate: background scoring of served version {} failed ({}); the next checkpoint "
                    + "scores it", current.version(), e.toString());
        }
    }

    /**
     * The served version's results on {@code pairs}: what the background scoring knows if it lacks at most
     * {@code maxUnscoredShare} of them (and at least {@code minLabels} are known), else scored now.
     */
    private ServedScores.Results servedResults(ServedModel current, HeldOutPairs pairs) {
        ServedScores.Results known = served.known(current.sha256(), pairs);
        int missing = pairs.size() - known.known();
        if (missing == 0 || (known.known() >= settings.minLabels()
                && missing <= settings.maxUnscoredShare() * pairs.size())) {
            return known;
        }
        return served.rankedRight(current.sha256(), pairs, current.dir(), scorer);
    }

    /** The paired comparison on the pairs where the served version's result is known. */
    private static PairedComparison pairedWhereKnown(boolean[] candidate, Boolean[] served) {
        int n = 0;
        for (Boolean b : served) {
            if (b != null) {
                n++;
            }
        }
        boolean[] c = new boolean[n];
        boolean[] s = new boolean[n];
        for (int i = 0, j = 0; i < served.length; i++) {
            if (served[i] != null) {
                c[j] = candidate[i];
                s[j++] = served[i];
            }
        }
        return PairedComparison.of(c, s);
    }

    /** A newer generation that could not be compared: the served generation goes on. */
    private static GateVerdict keepGeneration(String why, ServedModel current, int generation, boolean[] right) {
        return GateVerdict.withheldUncompared("generation " + generation + " is served only once it beats served "
                + "version " + current.version() + " (generation " + current.generation() + ") on held-out labels, "
                + "and no comparison was made: " + why, right);
    }

    private boolean[] score(Candidate candidate, HeldOutPairs pairs) {
        try {
            return scorer.rankedRight(candidate.dir(), pairs.pairs());
        } catch (RuntimeException e) {
            throw new UnscorableModelException(candidate.dir(), e);
        }
    }
}
