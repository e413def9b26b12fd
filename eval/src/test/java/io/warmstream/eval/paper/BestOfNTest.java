package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BestOfNTest {

    private static final CandidatePool POOL = CandidatePool.draw(PreferenceWorld.create(WorldConfig.defaults()),
            Split.VALIDATION_ID, 6, 64, 7);

    @Test
    void goldAsProxyIsMonotoneInN() {
        double[][] gold = POOL.gold();
        double previous = Double.NEGATIVE_INFINITY;
        for (int n = 1; n <= 64; n *= 2) {
            double value = BestOfN.evaluate(gold, gold, n).meanGold();
            assertTrue(value >= previous - 1e-12, "best-of-" + n + " " + value + " < " + previous);
            previous = value;
        }
        assertTrue(previous > BestOfN.evaluate(gold, gold, 1).meanGold(), "selection must help");
        // The largest N picks each task's best candidate.
        double best = 0;
        for (double[] row : gold) {
            best += java.util.Arrays.stream(row).max().orElseThrow();
        }
        assertEquals(best / gold.length, BestOfN.evaluate(gold, gold, 64).meanGold(), 1e-12);
    }

    @Test
    void bestOfOneIsTheMeanCandidateWhateverTheProxy() {
        double[][] gold = POOL.gold();
        double mean = 0;
        for (double[] row : gold) {
            mean += java.util.Arrays.stream(row).average().orElseThrow();
        }
        assertEquals(mean / gold.length, BestOfN.evaluate(noise(1), gold, 1).meanGold(), 1e-12);
        assertEquals(mean / gold.length, BestOfN.evaluate(gold, gold, 1).meanGold(), 1e-12);
    }

    @Test
    void winRateAgainstItselfIsOneHalf() {
        double[][] gold = POOL.gold();
        double[][] proxy = noise(3);
        for (int n = 1; n <= 64; n *= 2) {
            assertEquals(0.5, BestOfN.winRate(proxy, proxy, gold, n), 1e-12);
            assertEquals(0.5, BestOfN.winRate(gold, gold, gold, n), 1e-12);
        }
        // Gold never loses against anything; against an inverted proxy it wins (almost) always at N = 64.
        double[][] inverted = new double[gold.length][];
        for (int t = 0; t < gold.length; t++) {
            inverted[t] = java.util.Arrays.stream(gold[t]).map(x -> -x).toArray();
        }
        assertTrue(BestOfN.winRate(gold, proxy, gold, 8) >= 0.5);
        assertEquals(1.0, BestOfN.winRate(gold, inverted, gold, 64), 1e-12);
        assertEquals(1.0, BestOfN.winRate(gold, inverted, gold, 8) + BestOfN.winRate(inverted, gold, gold, 8),
                1e-12);
    }

    @Test
    void picksTheFirstOfTiesAndRejectsTooLargeN() {
        assertEquals(2, BestOfN.pick(new double[] {0, 1, 3, 3, 2}, 0, 5));
        assertEquals(3, BestOfN.pick(new double[] {9, 1, 3, 3, 2}, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> BestOfN.evaluate(POOL.gold(), POOL.gold(), 128));
    }

    private static double[][] noise(long seed) {
        Random r = new Random(seed);
        double[][] out = new double[POOL.tasks()][POOL.perTask()];
        for (double[] row : out) {
            for (int k = 0; k < row.length; k++) {
                row[k] = r.nextGaussian();
            }
        }
        return out;
    }
}
