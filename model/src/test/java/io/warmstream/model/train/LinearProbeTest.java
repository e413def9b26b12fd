package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearProbeTest {

    @Test
    void findsTheRegularisedOptimum() {
        Random r = new Random(1);
        int n = 300, h = 8;
        double[] truth = {2, -1, 0, 0, 1, 0, 0, 0};
        float[][] chosen = new float[n][h];
        float[][] rejected = new float[n][h];
        for (int i = 0; i < n; i++) {
            float[] a = new float[h], b = new float[h];
            for (int j = 0; j < h; j++) {
                a[j] = (float) r.nextGaussian();
                b[j] = (float) r.nextGaussian();
            }
            double margin = 0;
            for (int j = 0; j < h; j++) {
                margin += truth[j] * (a[j] - b[j]);
            }
            // labels follow a logistic model of the truth: a noisy but learnable task
            boolean aWins = r.nextDouble() < 1 / (1 + Math.exp(-margin));
            chosen[i] = aWins ? a : b;
            rejected[i] = aWins ? b : a;
        }
        double l2 = 1e-2;
        LinearProbe.Fit fit = LinearProbe.fit(chosen, rejected, l2);
        assertTrue(fit.accuracy() > 0.75, "accuracy " + fit.accuracy());
        assertTrue(fit.weight()[0] > 1 && fit.weight()[1] < -0.4, "recovered direction " + java.util.Arrays.toString(fit.weight()));
        // optimality: the objective's gradient vanishes
        double[] grad = new double[h];
        for (int i = 0; i < n; i++) {
            double[] d = new double[h];
            for (int j = 0; j < h; j++) {
                d[j] = (double) chosen[i][j] - rejected[i][j];
            }
            double s = 1 / (1 + Math.exp(LinearProbe.dot(fit.weight(), d)));
            for (int j = 0; j < h; j++) {
                grad[j] -= s * d[j] / n;
            }
        }
        for (int j = 0; j < h; j++) {
            assertEquals(0, grad[j] + l2 * fit.weight()[j], 1e-8, "gradient component " + j);
        }
    }
}
