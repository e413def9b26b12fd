package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleTest {

    private static ModelScores random(long seed) {
        Random r = new Random(seed);
        float[][] bon = new float[3][8];
        for (float[] row : bon) {
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        return new ModelScores("m" + seed, pair(r, 10), pair(r, 7), pair(r, 5), bon);
    }

    private static PairScores pair(Random r, int n) {
        float[] c = new float[n];
        float[] j = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) (r.nextGaussian() * 3);
            j[i] = (float) (r.nextGaussian() * 3);
        }
        return new PairScores(c, j);
    }

    @Test
    void ensembleOfIdenticalMembersEqualsEachMember() {
        ModelScores m = random(1);
        for (int k = 1; k <= 6; k++) {
            ModelScores ens = ModelScores.mean("ens", java.util.Collections.nCopies(k, m));
            assertArrayEquals(m.train().chosen(), ens.train().chosen());
            assertArrayEquals(m.train().rejected(), ens.train().rejected());
            assertArrayEquals(m.validation().chosen(), ens.validation().chosen());
            assertArrayEquals(m.ood().rejected(), ens.ood().rejected());
            for (int t = 0; t < m.bestOfN().length; t++) {
                assertArrayEquals(m.bestOfN()[t], ens.bestOfN()[t]);
            }
        }
    }

    @Test
    void ensembleIsTheMeanOfPredictedRewards() {
        ModelScores a = random(1);
        ModelScores b = random(2);
        ModelScores ens = ModelScores.mean("ens", List.of(a, b));
        for (int i = 0; i < a.validation().size(); i++) {
            assertEquals((a.validation().chosen()[i] + b.validation().chosen()[i]) / 2.0,
                    ens.validation().chosen()[i], 1e-6);
        }
        assertEquals((a.bestOfN()[2][5] + b.bestOfN()[2][5]) / 2.0, ens.bestOfN()[2][5], 1e-6);
        ModelScores noPool = new ModelScores("x", a.train(), a.validation(), a.ood(), null);
        assertEquals(null, ModelScores.mean("ens", List.of(a, noPool)).bestOfN());
    }
}
