package io.warmstream.scorer.evaluation;

/**
 * A model's accuracy on one test set: the share of pairs where it rewards the better response higher (a tie counts
 * as wrong), with the binomial standard error {@code sqrt(p (1 - p) / n)}.
 */
public record TestSetAccuracy(String testSet, int pairs, double accuracy, double standardError, long durationMs) {

    /** From the rewards of the better and the other response of each pair. */
    public static TestSetAccuracy of(String testSet, float[] preferred, float[] other, long durationMs) {
        return TestSetOutcomes.of(testSet, preferred, other, durationMs).accuracy();
    }
}
