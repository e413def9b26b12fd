package io.warmstream.scorer.evaluation;

/**
 * A model's accuracy on one test set: the share of pairs where it rewards the better response higher (a tie counts
 * as wrong), with the binomial standard error {@code sqrt(p (1 - p) / n)}.
 */
public record TestSetAccuracy(String testSet, int pairs, double accuracy, double standardError, long durationMs) {

    /** From the rewards of the better and the other response of each pair. */
    public static TestSetAccuracy of(String testSet, float[] preferred, float[] other, long durationMs) {
        if (preferred.length != other.length || preferred.length == 0) {
            throw new IllegalArgumentException("need as many rewards for both sides, at least one; got "
                    + preferred.length + " and " + other.length);
        }
        int right = 0;
        for (int i = 0; i < preferred.length; i++) {
            if (preferred[i] > other[i]) {
                right++;
            }
        }
        int n = preferred.length;
        double p = (double) right / n;
        return new TestSetAccuracy(testSet, n, p, Math.sqrt(p * (1 - p) / n), durationMs);
    }
}
