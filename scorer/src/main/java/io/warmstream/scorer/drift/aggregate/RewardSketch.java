package io.warmstream.scorer.drift.aggregate;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

import java.util.Arrays;

/**
 * The rewards of a window in bounded memory: an Apache DataSketches KLL sketch with parameter {@code k}. While it
 * holds at most k values it keeps them all and quantiles are exact; beyond, its rank error stays within
 * {@link #rankError(int)} (KLL's proven bound, 99 % confidence; 0.53 % at k = 512) in about 3k retained values, and two
 * sketches merge into one that has the same bound, so windows of several scorer instances can be combined.
 *
 * <p>Quantiles interpolate linearly between the retained values (Hyndman and Fan type 7, numpy's and R's default),
 * each counting as many values as its weight; with every value retained that is numpy's quantile exactly.
 * Beyond k values KLL compacts by random coin flips, so a window aggregated twice (a replay) may differ within the
 * bound, where the hand-written sketch this replaced was deterministic but had no bound and could not merge.
 */
public final class RewardSketch {

    /** KLL's smallest k. */
    public static final int MIN_K = 8;
    public static final int MAX_K = KllSketch.MAX_K;

    private final KllDoublesSketch kll;

    public RewardSketch(int k) {
        if (k < MIN_K || k > MAX_K) {
            throw new IllegalArgumentException("sketch size must be in " + MIN_K + ".." + MAX_K + ", got " + k);
        }
        this.kll = KllDoublesSketch.newHeapInstance(k);
    }

    private RewardSketch(KllDoublesSketch kll) {
        this.kll = kll;
    }

    /** KLL's normalized rank error for k (single quantile queries, 99 % confidence). */
    public static double rankError(int k) {
        return KllSketch.getNormalizedRankError(k, false);
    }

    public void add(double value) {
        kll.update(value);
    }

    /** {@code value} counted {@code weight} times (reading state written by the sketch this one replaced). */
    void add(double value, long weight) {
        kll.update(value, weight);
    }

    /** Adds everything {@code other} holds; the result keeps KLL's error bound. */
    public void merge(RewardSketch other) {
        kll.merge(other.kll);
    }

    /** Values added. */
    public long count() {
        return kll.getN();
    }

    public int k() {
        return kll.getK();
    }

    /** Whether every value added is still held (quantiles exact). */
    public boolean exact() {
        return !kll.isEstimationMode();
    }

    /** The p-quantile (0..1), type 7 over the retained values by weight; NaN when empty. */
    public double quantile(double p) {
        if (kll.isEmpty()) {
            return Double.NaN;
        }
        DoublesSortedView view = kll.getSortedView();
        double[] values = view.getQuantiles();
        long[] cumulative = view.getCumulativeWeights();
        double h = (kll.getN() - 1) * p;
        long lo = (long) Math.floor(h);
        long hi = (long) Math.ceil(h);
        double a = valueAtRank(values, cumulative, lo);
        double b = hi == lo ? a : valueAtRank(values, cumulative, hi);
        return a + (h - lo) * (b - a);
    }

    /** The retained values in ascending order, for binning ({@link #pointWeights()} has their weights). */
    public double[] points() {
        return kll.isEmpty() ? new double[0] : kll.getSortedView().getQuantiles().clone();
    }

    public long[] pointWeights() {
        if (kll.isEmpty()) {
            return new long[0];
        }
        long[] cumulative = kll.getSortedView().getCumulativeWeights();
        long[] w = new long[cumulative.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
        }
        return w;
    }

    /** The value of 0-based rank {@code rank}: the first retained value whose cumulative weight passes it. */
    private static double valueAtRank(double[] values, long[] cumulative, long rank) {
        int i = Arrays.binarySearch(cumulative, rank + 1);
        int at = i >= 0 ? i : -i - 1;
        // Equal cumulative weights (a zero-weight entry) resolve to the first of them.
        while (at > 0 && cumulative[at - 1] >= rank + 1) {
            at--;
        }
        return values[Math.min(at, values.length - 1)];
    }

    byte[] toBytes() {
        return kll.toByteArray();
    }

    static RewardSketch fromBytes(byte[] bytes) {
        return new RewardSketch(KllDoublesSketch.heapify(Memory.wrap(bytes)));
    }
}
