package io.warmstream.scorer.evaluation;

import io.warmstream.events.ModelEvaluation;

import java.util.Optional;

/**
 * A version's accuracy on a test set minus that of the version judged before it, on the same pairs, with the standard
 * error of that paired difference. Pairing removes the pairs both get right or both get wrong from the noise, so a
 * change of a point is visible where the two accuracies' own standard errors (about 1.4 points at 1,000 pairs)
 * overlap.
 *
 * @param against the earlier version
 */
public record PairedChange(long against, double difference, double standardError) {

    public static PairedChange of(long against, TestSetOutcomes newer, TestSetOutcomes older) {
        double[] d = newer.pairedDifference(older);
        return new PairedChange(against, d[0], d[1]);
    }

    /**
     * Between two versions' judgements on one test set, as {@code warm.evaluations} carries them; empty if either
     * has no per-pair outcomes or they cover different numbers of pairs.
     */
    public static Optional<PairedChange> between(ModelEvaluation newer, ModelEvaluation older) {
        return TestSetOutcomes.of(newer).flatMap(n -> TestSetOutcomes.of(older)
                .filter(o -> o.right().length == n.right().length)
                .map(o -> of(older.getVersion(), n, o)));
    }
}
