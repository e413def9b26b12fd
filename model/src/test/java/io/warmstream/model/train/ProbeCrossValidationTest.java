package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeCrossValidationTest {

    /** Pairs whose preference follows the first feature, flipped with probability {@code noise}. */
    private static float[][][] pairs(int n, int h, double noise, long seed) {
        Random r = new Random(seed);
        float[][] chosen = new float[n][h];
        float[][] rejected = new float[n][h];
        for (int i = 0; i < n; i++) {
            float[] a = new float[h], b = new float[h];
            for (int j = 0; j < h; j++) {
                a[j] = (float) r.nextGaussian();
                b[j] = (float) r.nextGaussian();
            }
            boolean aWins = (a[0] > b[0]) ^ (r.nextDouble() < noise);
            chosen[i] = aWins ? a : b;
            rejected[i] = aWins ? b : a;
        }
        return new float[][][] {chosen, rejected};
    }

    @Test
    void fewNoisyPairsInManyDimensionsGetAStrongerPenaltyThanManyCleanOnes() {
        float[][][] few = pairs(30, 24, 0.3, 7);
        float[][][] many = pairs(600, 24, 0.0, 7);
        ProbeCrossValidation.Choice forFew = ProbeCrossValidation.choose(few[0], few[1],
                ProbeCrossValidation.DEFAULT_GRID, 3);
        ProbeCrossValidation.Choice forMany = ProbeCrossValidation.choose(many[0], many[1],
                ProbeCrossValidation.DEFAULT_GRID, 3);
        assertTrue(forFew.l2() > forMany.l2(), "few noisy: " + forFew + ", many clean: " + forMany);
        // separable clean data: the weakest penalty ranks best, and the held-out accuracy says so
        assertEquals(1e-4, forMany.l2());
        assertTrue(forMany.accuracy() > 0.95, "cv accuracy " + forMany.accuracy());
        assertTrue(forFew.accuracy() < forMany.accuracy());
    }

    @Test
    void choosesThePenaltyWithTheLowestHeldOutLossNotTheHighestAccuracy() {
        float[][][] p = pairs(120, 48, 0.15, 11);
        ProbeCrossValidation.Choice chosen = ProbeCrossValidation.choose(p[0], p[1],
                ProbeCrossValidation.DEFAULT_GRID, 3);
        for (double l2 : ProbeCrossValidation.DEFAULT_GRID) {
            ProbeCrossValidation.Choice alone = ProbeCrossValidation.choose(p[0], p[1], List.of(l2), 3);
            assertTrue(alone.loss() >= chosen.loss(), "l2 " + l2 + " held-out loss " + alone.loss()
                    + " below the chosen " + chosen);
        }
        // noisy labels in many dimensions: the chosen head is no more confident than its held-out pairs bear out
        assertTrue(chosen.loss() < Math.log(2), "held-out loss " + chosen.loss());
        ProbeCrossValidation.Choice weakest = ProbeCrossValidation.choose(p[0], p[1], List.of(1e-4), 3);
        assertTrue(weakest.loss() > chosen.loss() + 0.05, "weakest " + weakest + ", chosen " + chosen);
    }

    @Test
    void isDeterministic() {
        float[][][] p = pairs(90, 12, 0.2, 3);
        ProbeCrossValidation.Choice a = ProbeCrossValidation.choose(p[0], p[1], ProbeCrossValidation.DEFAULT_GRID, 3);
        ProbeCrossValidation.Choice b = ProbeCrossValidation.choose(p[0], p[1], ProbeCrossValidation.DEFAULT_GRID, 3);
        assertEquals(a, b);
    }

    @Test
    void tooFewPairsLeaveThePenaltyToTheCaller() {
        float[][][] p = pairs(5, 4, 0.0, 1);
        assertNull(ProbeCrossValidation.choose(p[0], p[1], List.of(1.0, 0.1), 3));
    }
}
