package io.warmstream.eval.paper;

import java.util.SplittableRandom;

/**
 * Standard error of a paired comparison by the bootstrap. The input is the per-item difference (e.g. WARM's
 * correctness minus ENS's on each test pair) for each training seed: {@code d[seed][item]}, the same items under
 * every seed. The estimate is the mean over seeds of the mean over items. Each resample draws items with
 * replacement (the same draw for every seed, since the items are shared) and, with more than one seed, seeds with
 * replacement too, so the error covers both the test set and the training run. Seeded: the same input gives the
 * same standard error.
 */
public final class PairedBootstrap {

    /** Resamples per standard error: the SE's own relative error is about 1 / sqrt(2 B), 1.6% here. */
    public static final int RESAMPLES = 2000;

    private PairedBootstrap() {
    }

    /** {estimate, standard error}. */
    public static double[] estimate(double[][] d, long seed) {
        return estimate(d, RESAMPLES, seed);
    }

    public static double[] estimate(double[][] d, int resamples, long seed) {
        int seeds = d.length;
        if (seeds == 0 || d[0].length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        int items = d[0].length;
        for (double[] row : d) {
            if (row.length != items) {
                throw new IllegalArgumentException("every seed needs the same items");
            }
        }
        double point = mean(d, identity(seeds), identity(items));
        if (items < 2 && seeds < 2) {
            return new double[] {point, Double.NaN};
        }
        double[] means = resampledMeans(d, resamples, seed);
        double avg = 0;
        for (double m : means) {
            avg += m / resamples;
        }
        double ss = 0;
        for (double m : means) {
            ss += (m - avg) * (m - avg); // two passes: no cancellation when every resample gives the same mean
        }
        return new double[] {point, Math.sqrt(ss / (resamples - 1))};
    }

    /**
     * {estimate, lower, upper}: the percentile bootstrap interval of the mean with coverage {@code 1 - alpha} (e.g.
     * 0.05 for 95%), from the same resamples (items, and seeds when there are several) as {@link #estimate}.
     */
    public static double[] interval(double[][] d, double alpha, long seed) {
        if (d.length == 0 || d[0].length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double point = mean(d, identity(d.length), identity(d[0].length));
        if (d[0].length < 2 && d.length < 2) {
            return new double[] {point, Double.NaN, Double.NaN};
        }
        double[] means = resampledMeans(d, RESAMPLES, seed);
        java.util.Arrays.sort(means);
        return new double[] {point, quantile(means, alpha / 2), quantile(means, 1 - alpha / 2)};
    }

    /** The mean of each bootstrap resample: items (the same draw for every seed) and seeds with replacement. */
    private static double[] resampledMeans(double[][] d, int resamples, long seed) {
        int seeds = d.length;
        int items = d[0].length;
        for (double[] row : d) {
            if (row.length != items) {
                throw new IllegalArgumentException("every seed needs the same items");
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] s = new int[seeds];
        int[] i = new int[items];
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            for (int k = 0; k < seeds; k++) {
                s[k] = seeds == 1 ? 0 : random.nextInt(seeds);
            }
            for (int k = 0; k < items; k++) {
                i[k] = random.nextInt(items);
            }
            means[b] = mean(d, s, i);
        }
        return means;
    }

    /** Linear interpolation between order statistics of a sorted array. */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** One row per seed from a single run's difference vector. */
    public static double[][] single(double[] d) {
        return new double[][] {d};
    }

    private static double mean(double[][] d, int[] seeds, int[] items) {
        double total = 0;
        for (int s : seeds) {
            double[] row = d[s];
            double rowSum = 0;
            for (int i : items) {
                rowSum += row[i];
            }
            total += rowSum / items.length;
        }
        return total / seeds.length;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[k] = k;
        }
        return out;
    }
}
