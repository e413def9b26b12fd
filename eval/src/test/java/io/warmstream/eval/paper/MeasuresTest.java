package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.report.SetMeasures;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeasuresTest {

    /** Four pairs: 0 and 1 flipped (chosen is gold-worse), 2 and 3 clean. */
    private static final PairSet TRAIN = new PairSet("t", Collections.nCopies(4, "p"), List.of("a", "b", "c", "d"),
            List.of("e", "f", "g", "h"), new boolean[] {true, true, false, false},
            new double[] {-0.5, -1.0, 0.7, 0.2});

    @Test
    void memorisationCountsOnlyFlippedPairs() {
        // Agrees with the flipped label on pair 0 only; clean pairs scored every possible way must not matter.
        PairScores s = new PairScores(new float[] {1, 0, 5, -5}, new float[] {0, 1, 0, 0});
        assertEquals(0.5, Measures.memorisation(s, TRAIN));
        PairScores other = new PairScores(new float[] {1, 0, -5, 5}, new float[] {0, 1, 0, 0});
        assertEquals(0.5, Measures.memorisation(other, TRAIN));
        assertEquals(0.5, Measures.labelAccuracy(s, Measures.not(TRAIN.flipped())));
        PairSet none = new PairSet("t", TRAIN.prompts(), TRAIN.chosen(), TRAIN.rejected(), new boolean[4],
                TRAIN.goldMargin());
        assertTrue(Double.isNaN(Measures.memorisation(s, none)), "nothing flipped: no memorisation to measure");
    }

    @Test
    void goldAccuracyFollowsTheGoldMarginNotTheLabel() {
        // Model prefers rejected on pairs 0, 1 (gold agrees: margins negative) and chosen on 2, 3 (gold agrees).
        PairScores s = new PairScores(new float[] {0, 0, 1, 1}, new float[] {1, 1, 0, 0});
        assertEquals(1.0, Measures.goldAccuracy(s, TRAIN));
        assertEquals(0.5, Measures.labelAccuracy(s, Measures.all(4)));
        assertArrayEquals(new boolean[] {true, true, true, true}, Measures.goldCorrect(s, TRAIN));
        // The flip's answer (gold-worse) on the flipped pairs: never preferred here.
        assertEquals(0.0, Measures.preferenceForWorse(s, TRAIN, TRAIN.flipped()));
        // Ties count as wrong.
        PairScores ties = new PairScores(new float[4], new float[4]);
        assertEquals(0.0, Measures.goldAccuracy(ties, TRAIN));
        assertEquals(Math.log(2), Measures.goldLoss(ties, TRAIN), 1e-12);
    }

    @Test
    void setMeasuresUseTheRightSubsets() {
        PairScores train = new PairScores(new float[] {1, 1, 1, 0}, new float[] {0, 0, 0, 1});
        PairSet held = new PairSet("v", List.of("p", "p"), List.of("x", "y"), List.of("z", "w"),
                new boolean[2], new double[] {1, -1});
        PairScores heldScores = new PairScores(new float[] {2, 2}, new float[] {1, 1});
        ModelScores m = new ModelScores("m", train, heldScores, heldScores, null);
        SetMeasures r = Measures.of(m, TRAIN, TRAIN.flipped(), held, held);
        assertEquals(1.0, r.memorisation());
        assertEquals(1.0, r.flippedPairsWrong());
        assertEquals(0.5, r.cleanTrain());
        assertEquals(0.5, r.validation());
        assertEquals(1.0, r.validationLabels());
        assertEquals(0.5, r.ood());
    }

    @Test
    void pairedDifferenceAndDisagreement() {
        double[] d = Measures.pairedDifference(new boolean[] {true, true, false, false},
                new boolean[] {true, false, false, false});
        assertEquals(0.25, d[0], 1e-12);
        assertEquals(Math.sqrt((1 - 4 * 0.0625) / 3 / 4), d[1], 1e-12);
        assertArrayEquals(new double[] {0, 0}, Measures.pairedDifference(new boolean[] {true, false},
                new boolean[] {true, false}));
        PairScores a = new PairScores(new float[] {1, 1}, new float[] {0, 0});
        PairScores b = new PairScores(new float[] {1, 0}, new float[] {0, 1});
        assertEquals(0.5, Measures.disagreement(a, b));
    }
}
