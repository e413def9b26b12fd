package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Random subsets for M-scaling and the standardisation behind the scale control. */
class ControlsTest {

    @Test
    void subsetsAreDistinctSortedAndCappedByHowManyExist() {
        List<int[]> picks = ControlModels.draw(6, 2, 5, 1);
        assertEquals(5, picks.size());
        TreeSet<String> seen = new TreeSet<>();
        for (int[] p : picks) {
            assertEquals(2, p.length);
            assertEquals(true, p[0] < p[1] && p[0] >= 0 && p[1] < 6);
            seen.add(Arrays.toString(p));
        }
        assertEquals(5, seen.size());
        assertEquals(4, ControlModels.draw(4, 3, 10, 1).size(), "only C(4,3) = 4 subsets exist");
        assertEquals(Arrays.deepToString(picks.toArray()), Arrays.deepToString(ControlModels.draw(6, 2, 5, 1).toArray()),
                "seeded");
        assertNotEquals(Arrays.deepToString(picks.toArray()),
                Arrays.deepToString(ControlModels.draw(6, 2, 5, 2).toArray()));
        assertEquals("1+3+6", ControlModels.names(new int[] {0, 2, 5}));
    }

    @Test
    void standardisingUsesTheMeanAndSdOfEveryReward() {
        PairScores p = new PairScores(new float[] {1, 3}, new float[] {5, 7});
        double[] ms = ControlsAnalysis.meanAndSd(p);
        assertEquals(4.0, ms[0], 1e-12);
        assertEquals(Math.sqrt(5.0), ms[1], 1e-12);
        ModelScores s = new ModelScores("m", p, p, p, new float[][] {{4, 6}});
        ModelScores z = ControlsAnalysis.affine(s, ms[0], ms[1]);
        double sd = Math.sqrt(5.0);
        assertArrayEquals(new float[] {(float) (-3 / sd), (float) (-1 / sd)}, z.validation().chosen(), 1e-6f);
        assertArrayEquals(new float[] {0f, (float) (2 / sd)}, z.bestOfN()[0], 1e-6f);
        assertEquals(1.0, ControlsAnalysis.meanAndSd(new PairScores(new float[] {2}, new float[] {2}))[1]);
    }

    @Test
    void standardisedEnsembleIsNotLedByTheLargestScale() {
        // Member a ranks the pair right (margin 1 = 1 SD of its rewards), member b wrong by 80 on a 100x larger
        // scale (0.8 of its SD): plain ENS follows b; standardised, the margins are +1 and -0.8 SD, mean +0.1.
        PairScores refA = new PairScores(new float[] {1, -1}, new float[] {1, -1});
        PairScores refB = new PairScores(new float[] {100, -100}, new float[] {100, -100});
        ModelScores a = new ModelScores("a", pair(0.5f, -0.5f), pair(0.5f, -0.5f), pair(0.5f, -0.5f), null);
        ModelScores b = new ModelScores("b", pair(-40f, 40f), pair(-40f, 40f), pair(-40f, 40f), null);
        ModelScores plain = ModelScores.mean("ens", List.of(a, b));
        assertEquals(true, plain.ood().margin(0) < 0);
        double[] ma = ControlsAnalysis.meanAndSd(refA);
        double[] mb = ControlsAnalysis.meanAndSd(refB);
        ModelScores std = ModelScores.mean("std", List.of(ControlsAnalysis.affine(a, ma[0], ma[1]),
                ControlsAnalysis.affine(b, mb[0], mb[1])));
        assertEquals((1.0 - 0.8) / 2, std.ood().margin(0), 1e-6);
    }

    private static PairScores pair(float chosen, float rejected) {
        return new PairScores(new float[] {chosen}, new float[] {rejected});
    }
}
