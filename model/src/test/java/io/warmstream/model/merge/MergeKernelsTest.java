package io.warmstream.model.merge;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operators on arrays, against formulas computed independently in double. */
class MergeKernelsTest {

    private static float[] random(SplittableRandom r, int n, double mean, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (mean + std * SyntheticModels.gaussian(r));
        }
        return a;
    }

    private static float[] apply(TensorKernel kernel, float[]... inputs) {
        float[] out = new float[inputs[0].length];
        kernel.beginTensor(null);
        if (kernel.needsStatistics()) {
            kernel.observe(inputs, out.length);
        }
        kernel.combine(inputs, out, out.length);
        return out;
    }

    /** ||a - b|| / ||b||, in double. */
    private static double relativeError(float[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void fiveHundredFoldsStayWithinTolerance() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 20_000;
        float[] average = null;
        double[] sum = new double[n];
        int models = 500;
        for (int k = 1; k <= models; k++) {
            // fine-tuned weights: a shared pretrained value plus a member-specific delta
            float[] theta = random(r, n, 0.01, 0.05);
            for (int i = 0; i < n; i++) {
                sum[i] += theta[i];
            }
            average = k == 1 ? theta : apply(RunningAverage.uniformFold(k), average, theta);
        }
        double[] mean = new double[n];
        double maxAbs = 0;
        double maxErr = 0;
        for (int i = 0; i < n; i++) {
            mean[i] = sum[i] / models;
            maxAbs = Math.max(maxAbs, Math.abs(mean[i]));
            maxErr = Math.max(maxErr, Math.abs(average[i] - mean[i]));
        }
        // fp32 storage alone costs ~6e-8 per fold, damped so that it grows like sqrt(k): measured 3.2e-7 normwise,
        // worst element 8.6e-7 of the largest mean value
        double rel = relativeError(average, mean);
        assertTrue(rel <= 1e-6, "500 folds: relative error " + rel);
        assertTrue(maxErr <= 2e-6 * maxAbs, "500 folds: max abs error " + maxErr + " vs max |mean| " + maxAbs);
    }

    @Test
    void weightedFoldsEqualTheNormalisedWeightedMean() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 5_000;
        double[] weights = {0.71, 0.64, 0.93, 0.55, 0.80, 0.77};
        double[] sum = new double[n];
        double weightSum = 0;
        float[] average = null;
        for (double w : weights) {
            float[] theta = random(r, n, 0, 0.05);
            for (int i = 0; i < n; i++) {
                sum[i] += w * theta[i];
            }
            average = average == null ? theta : apply(RunningAverage.weightedFold(w, weightSum), average, theta);
            weightSum += w;
        }
        double[] mean = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = sum[i] / weightSum;
        }
        assertTrue(relativeError(average, mean) <= 1e-6, "weighted: " + relativeError(average, mean));
        assertThrows(IllegalArgumentException.class, () -> RunningAverage.weightedFold(0, 1));
        assertThrows(IllegalArgumentException.class, () -> RunningAverage.uniformFold(1));
    }

    @Test
    void emaFollowsItsFormula() {
        float[] theta = {1f, -2f, 0.5f, 1e-3f};
        float[] x = {3f, 2f, 0.25f, -1e-3f};
        double mu = 0.01;
        float[] out = apply(ExponentialMovingAverage.fold(mu), theta, x);
        for (int i = 0; i < theta.length; i++) {
            assertEquals((float) ((1 - mu) * theta[i] + mu * x[i]), out[i], Math.ulp(out[i]), "element " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> ExponentialMovingAverage.fold(0));
    }

    @Test
    void litiWithEtaZeroAndOneReturnsBaseAndMerged() {
        SplittableRandom r = new SplittableRandom(3);
        float[] init = random(r, 1000, 0, 1);
        float[] merged = random(r, 1000, 0, 1);
        assertArrayEquals(init, Liti.apply(init, merged, 0));
        assertArrayEquals(merged, Liti.apply(init, merged, 1));
        float[] mid = Liti.apply(init, merged, 0.3);
        for (int i = 0; i < init.length; i++) {
            // fp32 rounding of (merged - init) is scaled by eta, then one rounding of the result
            double bound = 0.3 * Math.ulp(merged[i] - init[i]) + Math.ulp(mid[i]);
            assertEquals(0.7 * init[i] + 0.3 * merged[i], mid[i], bound, "element " + i);
        }
    }

    @Test
    void slerpOfOrthogonalTaskVectorsKeepsTheirNorm() {
        int n = 4096;
        SplittableRandom r = new SplittableRandom(8);
        float[] init = random(r, n, 0, 0.02);
        double[] d1 = new double[n];
        double[] d2 = new double[n];
        // orthogonal with equal norms: disjoint supports, same magnitudes
        for (int i = 0; i < n; i++) {
            double v = 0.01 * Math.sin(i);
            if (i % 2 == 0) {
                d1[i] = v;
                d2[i + 1] = v;
            }
        }
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (init[i] + d1[i]);
            b[i] = (float) (init[i] + d2[i]);
        }
        TaskVectorSlerp slerp = TaskVectorSlerp.of(0.5);
        float[] out = apply(slerp, init, a, b);
        assertFalse(slerp.usedLinearFallback());
        assertEquals(Math.PI / 2, slerp.angle(), 1e-4);
        double[] delta = new double[n];
        double[] da = new double[n];
        double[] db = new double[n];
        for (int i = 0; i < n; i++) {
            delta[i] = (double) out[i] - init[i];
            da[i] = (double) a[i] - init[i];
            db[i] = (double) b[i] - init[i];
        }
        assertEquals(norm(da), norm(db), 1e-6 * norm(da), "fixture: equal norms");
        assertEquals(norm(da), norm(delta), 1e-5 * norm(da), "||slerp|| == ||delta||");
        // and it is sin(pi/4)/sin(pi/2) * (d1 + d2), where LERP would shrink the norm to 1/sqrt(2)
        for (int i = 0; i < n; i += 97) {
            assertEquals(Math.sqrt(0.5) * (da[i] + db[i]), delta[i], 1e-8, "element " + i);
        }
        assertArrayEquals(a, TaskVectorSlerp.slerp(init, a, b, 0), "l = 0 gives a");
    }

    @Test
    void nearlyParallelOrZeroTaskVectorsFallBackToLerp() {
        int n = 2048;
        SplittableRandom r = new SplittableRandom(9);
        float[] init = random(r, n, 0, 0.02);
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            double d = 0.01 * Math.cos(i * 0.37);
            a[i] = (float) (init[i] + d);
            b[i] = (float) (init[i] + 2 * d + 1e-5 * SyntheticModels.gaussian(r));
        }
        double l = 0.25;
        for (float[][] pair : new float[][][] {{a, b}, {init, b}, {a, init}}) {
            TaskVectorSlerp slerp = TaskVectorSlerp.of(l);
            float[] out = apply(slerp, init, pair[0], pair[1]);
            assertTrue(slerp.usedLinearFallback());
            for (int i = 0; i < n; i++) {
                float da = pair[0][i] - init[i];
                float db = pair[1][i] - init[i];
                double lerp = init[i] + (1 - l) * ((double) pair[0][i] - init[i]) + l * ((double) pair[1][i] - init[i]);
                // fp32: roundings of the task vectors, and two at the scale of the output or of the init
                double bound = Math.ulp(da) + Math.ulp(db) + 2 * Math.max(Math.ulp(out[i]), Math.ulp(init[i]));
                assertEquals(lerp, out[i], bound, "element " + i);
            }
        }
    }

    @Test
    void batchMeanAveragesAndCopies() {
        float[] x = {1f, 2f, Float.MIN_VALUE};
        float[] y = {2f, 4f, Float.MIN_VALUE};
        assertArrayEquals(new float[] {1.5f, 3f, Float.MIN_VALUE}, apply(new BatchMean(2), x, y));
        assertArrayEquals(x, apply(new BatchMean(1), x));
    }

    @Test
    void strategiesResolveByConfigName() {
        assertEquals(MergeStrategy.SLERP_LITI, MergeStrategy.fromConfig("slerp-liti"));
        assertEquals(MergeStrategy.SLIDING_WINDOW, MergeStrategy.fromConfig("SLIDING_WINDOW"));
        assertEquals(MergeStrategy.ACCURACY_WEIGHTED, MergeStrategy.fromConfig(" Accuracy-Weighted "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MergeStrategy.fromConfig("mean"));
        assertEquals("unknown merge strategy 'mean'; one of uniform, accuracy-weighted, data-size-weighted, ema, sliding-window, slerp-liti",
                e.getMessage());
    }
}
