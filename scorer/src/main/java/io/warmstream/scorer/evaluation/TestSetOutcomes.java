package io.warmstream.scorer.evaluation;

import io.warmstream.events.ModelEvaluation;

import java.util.Optional;

/**
 * Which pairs of one test set a model got right (rewarded the better response higher; a tie is wrong). Kept per
 * pair so two models judged on the same set can be compared paired, which is far more precise than comparing
 * their accuracies.
 */
public record TestSetOutcomes(String testSet, boolean[] right, long durationMs) {

    public static TestSetOutcomes of(String testSet, float[] preferred, float[] other, long durationMs) {
        if (preferred.length != other.length || preferred.length == 0) {
            throw new IllegalArgumentException("need as many rewards for both sides, at least one; got "
                    + preferred.length + " and " + other.length);
        }
        boolean[] right = new boolean[preferred.length];
        for (int i = 0; i < right.length; i++) {
            right[i] = preferred[i] > other[i];
        }
        return new TestSetOutcomes(testSet, right, durationMs);
    }

    /**
     * The outcomes as bits, pair i in bit {@code i % 8} of byte {@code i / 8} (least significant first): how they
     * travel on {@code warm.evaluations}, an eighth of a byte per pair.
     */
    public byte[] packed() {
        byte[] bits = new byte[(right.length + 7) / 8];
        for (int i = 0; i < right.length; i++) {
            if (right[i]) {
                bits[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return bits;
    }

    /** The outcomes of {@code pairs} pairs from {@link #packed()} bits. */
    public static TestSetOutcomes unpacked(String testSet, int pairs, byte[] bits, long durationMs) {
        if (pairs < 1 || bits.length != (pairs + 7) / 8) {
            throw new IllegalArgumentException("test set " + testSet + ": " + bits.length + " bytes of outcomes for "
                    + pairs + " pairs (need " + (pairs + 7) / 8 + ")");
        }
        boolean[] right = new boolean[pairs];
        for (int i = 0; i < pairs; i++) {
            right[i] = (bits[i / 8] >> (i % 8) & 1) == 1;
        }
        return new TestSetOutcomes(testSet, right, durationMs);
    }

    /**
     * The outcomes a judgement on {@code warm.evaluations} carries; empty if it has none (an older judge) or they do
     * not fit its pair count.
     */
    public static Optional<TestSetOutcomes> of(ModelEvaluation e) {
        if (e.getOutcomes() == null) {
            return Optional.empty();
        }
        byte[] bits = new byte[e.getOutcomes().remaining()];
        e.getOutcomes().duplicate().get(bits);
        try {
            return Optional.of(unpacked(e.getTestSet(), e.getPairs(), bits, e.getDurationMs()));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** Accuracy with its binomial standard error {@code sqrt(p (1 - p) / n)}. */
    public TestSetAccuracy accuracy() {
        int n = right.length;
        int hits = 0;
        for (boolean r : right) {
            hits += r ? 1 : 0;
        }
        double p = (double) hits / n;
        return new TestSetAccuracy(testSet, n, p, Math.sqrt(p * (1 - p) / n), durationMs);
    }

    /**
     * This model's accuracy minus {@code other}'s on the same pairs, and the standard error of that paired
     * difference: {@code sd(d) / sqrt(n)} over the per-pair differences d in {-1, 0, 1}.
     */
    public double[] pairedDifference(TestSetOutcomes other) {
        if (other.right.length != right.length) {
            throw new IllegalArgumentException("test set " + testSet + ": " + right.length + " pairs against "
                    + other.right.length);
        }
        int n = right.length;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            int d = (right[i] ? 1 : 0) - (other.right[i] ? 1 : 0);
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n;
        double variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
        return new double[] {mean, Math.sqrt(Math.max(0, variance) / n)};
    }
}
