package io.warmstream.scorer.drift.aggregate;

import java.util.Arrays;

/**
 * Population stability index of a window's rewards against a reference sample (the version's rewards for held-out
 * labels): ten bins cut at the reference's deciles, {@code PSI = sum (a - e) ln(a / e)} over the bins, where e and a
 * are the shares of reference and window values in the bin, each floored at {@link #FLOOR} so an empty bin stays
 * finite. Expected shares are counted from the reference itself rather than assumed to be 10 %, so ties in the
 * reference (equal deciles) do not read as drift. Usual reading: below 0.1 stable, 0.1-0.25 moderate, above 0.25 shifted.
 */
public final class Psi {

    public static final double FLOOR = 1e-4;
    static final int BINS = 10;

    private Psi() {
    }

    /** PSI of weighted points against the reference; NaN if either side is empty. */
    public static double of(double[] reference, double[] points, long[] weights) {
        if (reference.length == 0 || points.length == 0) {
            return Double.NaN;
        }
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] edges = new double[BINS - 1];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = quantile(sorted, (i + 1) / (double) BINS);
        }
        double[] expected = new double[BINS];
        for (double r : sorted) {
            expected[bin(edges, r)] += 1.0 / sorted.length;
        }
        double[] actual = new double[BINS];
        long total = 0;
        for (long w : weights) {
            total += w;
        }
        for (int i = 0; i < points.length; i++) {
            actual[bin(edges, points[i])] += weights[i] / (double) total;
        }
        double psi = 0;
        for (int b = 0; b < BINS; b++) {
            double e = Math.max(expected[b], FLOOR);
            double a = Math.max(actual[b], FLOOR);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** Values lie in bin i when they are above i edges: (-inf, e1], (e1, e2], ..., (e9, +inf). */
    static int bin(double[] edges, double x) {
        int b = 0;
        while (b < edges.length && x > edges[b]) {
            b++;
        }
        return b;
    }

    /** Type-7 quantile of sorted values. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = (int) Math.ceil(h);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
