package io.warmstream.scorer.drift.aggregate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PsiAndSketchTest {

    /**
     * KLL compacts by coin flips from one static generator; seeding it makes these runs reproducible (the bound holds
     * with 99 % confidence per query, so an unseeded run could, rarely, exceed it by chance).
     */
    @BeforeEach
    void seedKll() throws Exception {
        java.lang.reflect.Field f = org.apache.datasketches.kll.KllSketch.class.getDeclaredField("random");
        f.setAccessible(true);
        ((Random) f.get(null)).setSeed(42);
    }

    private static double[] range(int n, double offset) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = i + offset;
        return r;
    }

    private static long[] ones(int n) {
        long[] w = new long[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    @Test
    void psiIsZeroForTheReferenceItselfAndKnownForAShift() {
        double[] ref = range(100, 0);
        assertEquals(0.0, Psi.of(ref, range(100, 0), ones(100)), 1e-12);
        // Shifted by 10: bin 0 gets 0 values, bins 1..8 keep 10 % each... exactly: values 10..109.
        // Edges 9.9k: bin0 (<=9.9) none, bins 1..8 hold 10 each, bin 9 (>89.1) holds 90..109 = 20.
        double f = Psi.FLOOR;
        double expected = (f - 0.1) * Math.log(f / 0.1) + (0.2 - 0.1) * Math.log(0.2 / 0.1);
        assertEquals(expected, Psi.of(ref, range(100, 10), ones(100)), 1e-12);
        // Weights count as repeated values.
        assertEquals(Psi.of(ref, new double[] {5, 5, 95}, ones(3)), Psi.of(ref, new double[] {5, 95}, new long[] {2, 1}), 1e-12);
        assertTrue(Double.isNaN(Psi.of(new double[0], range(3, 0), ones(3))));
    }

    @Test
    void tiesInTheReferenceAreNotDrift() {
        double[] ref = new double[50];
        java.util.Arrays.fill(ref, 0, 25, 1.0);
        java.util.Arrays.fill(ref, 25, 50, 2.0);
        assertEquals(0.0, Psi.of(ref, new double[] {1, 2, 1, 2}, ones(4)), 1e-12);
    }

    @Test
    void sketchQuantilesAreExactUpToK() {
        RewardSketch s = new RewardSketch(16);
        for (double v : new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}) s.add(v);
        assertEquals(10, s.count());
        assertTrue(s.exact());
        assertEquals(1.0, s.quantile(0), 1e-12);
        assertEquals(1.45, s.quantile(0.05), 1e-12);
        assertEquals(5.5, s.quantile(0.5), 1e-12);
        assertEquals(9.55, s.quantile(0.95), 1e-12);
        assertEquals(10.0, s.quantile(1), 1e-12);
        assertTrue(Double.isNaN(new RewardSketch(8).quantile(0.5)));
        assertThrows(IllegalArgumentException.class, () -> new RewardSketch(RewardSketch.MIN_K - 1));
    }

    @Test
    void sketchStaysBoundedAndWithinKllsRankErrorBeyondKAndSurvivesSerialization() {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) values.add((double) i);
        Collections.shuffle(values, new Random(7));
        int k = 128;
        RewardSketch s = new RewardSketch(k);
        values.forEach(s::add);
        assertEquals(10_000, s.count());
        assertFalse(s.exact());
        assertTrue(s.points().length < 4 * k, "points " + s.points().length);
        assertEquals(10_000, Arrays.stream(s.pointWeights()).sum(), "weights count every value");
        // Values 0..9999: the value of rank r is r, so a quantile's rank error is its distance from the exact one.
        double bound = RewardSketch.rankError(k) * 10_000;
        for (double p : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            assertEquals(9_999 * p, s.quantile(p), bound, "p" + p);
        }
        RewardSketch back = RewardSketch.fromBytes(s.toBytes());
        assertEquals(s.count(), back.count());
        assertEquals(s.quantile(0.37), back.quantile(0.37), 0.0);
        assertArrayEquals(s.points(), back.points(), 0.0);
    }

    @Test
    void quantilesOfANormalSampleAreWithinTheRankErrorBound() {
        // A known distribution: 100 000 draws of N(0, 1). The sketch's quantile must lie between the exact sample
        // quantiles at p - eps and p + eps, eps being KLL's documented normalized rank error for k.
        int k = 200;
        Random random = new Random(11);
        double[] sample = new double[100_000];
        RewardSketch s = new RewardSketch(k);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextGaussian();
            s.add(sample[i]);
        }
        Arrays.sort(sample);
        double eps = RewardSketch.rankError(k);
        assertEquals(0.0133, eps, 0.001, "KLL's bound at k = 200 (about 1.33 %)");
        for (double p : new double[] {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
            double q = s.quantile(p);
            assertTrue(q >= Psi.quantile(sample, Math.max(0, p - eps)) && q <= Psi.quantile(sample, Math.min(1, p + eps)),
                    "p" + p + ": " + q + " outside the ranks " + (p - eps) + ".." + (p + eps));
        }
    }

    @Test
    void twoMergedSketchesAgreeWithOneOverBothWithinTheBound() {
        // Two scorer instances' windows: one half of the rewards each, different distributions.
        int k = 200;
        Random random = new Random(3);
        RewardSketch a = new RewardSketch(k), b = new RewardSketch(k), both = new RewardSketch(k);
        double[] all = new double[60_000];
        for (int i = 0; i < all.length; i++) {
            all[i] = i % 2 == 0 ? random.nextGaussian() : 3 + 0.5 * random.nextGaussian();
            (i % 2 == 0 ? a : b).add(all[i]);
            both.add(all[i]);
        }
        a.merge(b);
        assertEquals(all.length, a.count());
        Arrays.sort(all);
        double eps = RewardSketch.rankError(k);
        for (double p : new double[] {0.05, 0.25, 0.5, 0.75, 0.95}) {
            double lo = Psi.quantile(all, Math.max(0, p - eps)), hi = Psi.quantile(all, Math.min(1, p + eps));
            assertTrue(a.quantile(p) >= lo && a.quantile(p) <= hi, "merged p" + p + ": " + a.quantile(p));
            assertTrue(both.quantile(p) >= lo && both.quantile(p) <= hi, "single p" + p + ": " + both.quantile(p));
            // Both within eps of the true rank, so within 2 eps of each other in rank.
            double rankMerged = rank(all, a.quantile(p)), rankSingle = rank(all, both.quantile(p));
            assertEquals(rankSingle, rankMerged, 2 * eps, "p" + p);
        }
    }

    private static double rank(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        return (i >= 0 ? i : -i - 1) / (double) sorted.length;
    }
}
