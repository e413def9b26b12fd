package io.warmstream.model.train;

import java.util.List;

/**
 * Chooses the L2 penalty of the {@link LinearProbe} by k-fold cross-validation on the fitting pairs themselves, so
 * a head fitted on a few hundred labels is regularised harder than one fitted on thousands (a fixed penalty
 * over-fits the first and under-fits the second).
 *
 * <p>The penalty with the lowest held-out Bradley-Terry loss wins, not the most accurate one: on a few hundred noisy
 * labels held-out accuracy barely moves across the grid, so it picked weak penalties by chance, and a head that
 * separates its own labels gives every member rewards so large that each flipped label costs several nats of loss.
 * The loss is a proper score, so it also prices that over-confidence.
 *
 * <p>Deterministic: pair i is in fold {@code i mod k} (the pairs come in offset order, so folds interleave time),
 * the grid is tried in its given order, and ties in held-out loss go to the higher held-out accuracy, then to the
 * larger penalty (the simpler model).
 */
final class ProbeCrossValidation {

    /** Penalties tried, from strong to weak; spans the range where probes on pooled features change behaviour. */
    static final List<Double> DEFAULT_GRID = List.of(10.0, 1.0, 1e-1, 1e-2, 1e-3, 1e-4);
    static final int DEFAULT_FOLDS = 3;

    /** The outcome: the chosen penalty and its mean held-out accuracy and loss over the folds. */
    record Choice(double l2, double accuracy, double loss, int folds) {}

    private ProbeCrossValidation() {}

    /**
     * Cross-validates every penalty of {@code grid} over {@code folds} folds; null when there are fewer than two
     * pairs per fold (too few to say anything: the caller keeps its configured penalty).
     */
    static Choice choose(float[][] chosen, float[][] rejected, List<Double> grid, int folds) {
        int n = chosen.length;
        if (folds < 2 || n < 2 * folds || grid.isEmpty()) {
            return null;
        }
        Choice best = null;
        for (double l2 : grid) {
            double correct = 0;
            double loss = 0;
            for (int f = 0; f < folds; f++) {
                Split split = split(chosen, rejected, f, folds);
                LinearProbe.Fit fit = LinearProbe.fit(split.trainChosen, split.trainRejected, l2);
                for (int i = 0; i < split.testChosen.length; i++) {
                    double z = margin(fit.weight(), split.testChosen[i], split.testRejected[i]);
                    correct += z > 0 ? 1 : 0;
                    loss += Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
                }
            }
            Choice c = new Choice(l2, correct / n, loss / n, folds);
            if (best == null || c.loss() < best.loss()
                    || (c.loss() == best.loss() && c.accuracy() > best.accuracy())) {
                best = c;
            }
        }
        return best;
    }

    private record Split(float[][] trainChosen, float[][] trainRejected, float[][] testChosen,
                         float[][] testRejected) {}

    private static Split split(float[][] chosen, float[][] rejected, int fold, int folds) {
        int n = chosen.length;
        int test = 0;
        for (int i = fold; i < n; i += folds) {
            test++;
        }
        float[][] trc = new float[n - test][], trr = new float[n - test][], tec = new float[test][], ter = new float[test][];
        int a = 0;
        int b = 0;
        for (int i = 0; i < n; i++) {
            if (i % folds == fold) {
                tec[b] = chosen[i];
                ter[b++] = rejected[i];
            } else {
                trc[a] = chosen[i];
                trr[a++] = rejected[i];
            }
        }
        return new Split(trc, trr, tec, ter);
    }

    private static double margin(double[] w, float[] chosen, float[] rejected) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            s += w[j] * ((double) chosen[j] - rejected[j]);
        }
        return s;
    }
}
