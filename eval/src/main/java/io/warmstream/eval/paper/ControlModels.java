package io.warmstream.eval.paper;

import io.warmstream.model.store.DirectoryTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The extra models behind M-scaling and the controls, built from one noise level's members and scored on the same
 * pairs: WARM of random subsets of m members (m = 2..M-1, {@code subsetDraws} distinct subsets each; the main table
 * only ever averages members 1..m, one arbitrary order), and the best single member with its task vector scaled to
 * WARM's norm (does WARM help only because averaging shrinks the task vector toward the initialisation?).
 */
final class ControlModels {

    /** WARM of one subset of members (0-based indices) and its scores (no best-of-N pool). */
    record Subset(int[] members, ModelScores warm) {
    }

    /**
     * @param subsets      WARM of random subsets, by size then draw
     * @param shrunk       init + factor * (best - init), scored on the pairs (not the best-of-N pool)
     * @param shrunkMember 0-based index of the best single member (chosen on the selection split)
     * @param shrinkFactor |tau_WARM| / |tau_best|
     */
    record Scores(List<Subset> subsets, ModelScores shrunk, int shrunkMember, double shrinkFactor) {
    }

    private ControlModels() {
    }

    static Scores run(EvalSettings s, EvalData data, ModelScorer scorer, Progress progress, String level,
                      PairSet checked, Path initDir, List<Path> memberDirs, List<PairScores> selection, double[][] gram, Path dir,
                      long seed) {
        int m = memberDirs.size();
        List<Subset> subsets = new ArrayList<>();
        for (int size = 2; size < m; size++) {
            for (int[] pick : draw(m, size, s.subsetDraws(), seed * 7_919L + size)) {
                progress.phase(level + ": WARM of members " + names(pick) + " (M-scaling over random subsets)");
                List<Path> chosen = Arrays.stream(pick).mapToObj(memberDirs::get).toList();
                Path avg = WeightSpace.average(chosen, dir.resolve("subset"));
                subsets.add(new Subset(pick, scorer.score("warm-" + names(pick), avg, checked, data.validation(),
                        data.ood(), null)));
                DirectoryTree.delete(avg);
            }
        }
        int best = NoiseAnalysis.bestSingle(selection);
        double factor = shrinkFactor(gram, best);
        progress.phase(String.format(Locale.ROOT, "%s: member %d shrunk toward the initialisation to WARM's norm "
                + "(factor %.3f)", level, best + 1, factor));
        Path shrunkDir = WeightSpace.scaleTaskVector(initDir, memberDirs.get(best), factor, dir.resolve("shrunk"));
        ModelScores shrunk = scorer.score("shrunk-" + (best + 1), shrunkDir, checked, data.validation(), data.ood(),
                null);
        DirectoryTree.delete(shrunkDir);
        return new Scores(subsets, shrunk, best, factor);
    }

    /** |tau_WARM| / |tau_best| from the task vectors' Gram matrix (|tau_WARM|^2 = sum of the matrix / M^2). */
    static double shrinkFactor(double[][] gram, int member) {
        double sum = 0;
        for (double[] row : gram) {
            for (double g : row) {
                sum += g;
            }
        }
        double warm = Math.sqrt(Math.max(0, sum)) / gram.length;
        double own = Math.sqrt(Math.max(0, gram[member][member]));
        return own == 0 ? 1 : warm / own;
    }

    /**
     * {@code draws} distinct subsets of {@code size} out of {@code m} (fewer when there are not that many), each
     * sorted; seeded.
     */
    static List<int[]> draw(int m, int size, int draws, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long possible = binomial(m, size);
        List<int[]> out = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        while (out.size() < Math.min(draws, possible)) {
            int[] all = new int[m];
            for (int i = 0; i < m; i++) {
                all[i] = i;
            }
            for (int i = 0; i < size; i++) { // partial Fisher-Yates
                int j = i + random.nextInt(m - i);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            int[] pick = Arrays.copyOf(all, size);
            Arrays.sort(pick);
            if (seen.add(Arrays.toString(pick))) {
                out.add(pick);
            }
        }
        return out;
    }

    static String names(int[] pick) {
        StringBuilder b = new StringBuilder();
        for (int i : pick) {
            b.append(b.length() == 0 ? "" : "+").append(i + 1);
        }
        return b.toString();
    }

    private static long binomial(int n, int k) {
        long r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
