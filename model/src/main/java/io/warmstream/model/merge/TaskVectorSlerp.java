package io.warmstream.model.merge;

import io.warmstream.model.weights.TensorInfo;

/**
 * WARP's spherical interpolation of task vectors, per tensor, over inputs (init, a, b):
 * with d_a = a - init, d_b = b - init and W the angle between them,
 * out = init + sin((1-l) W)/sin W * d_a + sin(l W)/sin W * d_b.
 * When the task vectors are nearly parallel or anti-parallel (|cos W| > {@link #PARALLEL_COS}), or one is zero,
 * sin W is too small to divide by and the result falls back to linear interpolation (1-l) d_a + l d_b, which
 * SLERP approaches in that limit anyway.
 *
 * <p>With LITI folded in ({@link #withLiti}): input a is a LITI'd model init + eta_a (m - init), so d_a is first
 * divided by eta_a to recover the SLERP state m, and the output is LITI'd again with eta. Keeping only the LITI'd
 * model on disk costs a factor 1/eta in rounding, and avoids storing a second set of weights.
 */
public final class TaskVectorSlerp implements TensorKernel {

    /** Same threshold as common SLERP implementations; below it SLERP and LERP differ by O(W^2) < 1e-3. */
    public static final double PARALLEL_COS = 0.9995;

    private final double l;
    private final double deltaAScale;
    private final double outputScale;

    private double dot;
    private double normA2;
    private double normB2;
    private boolean coefficientsReady;
    private double coefA;
    private double coefB;
    private boolean linearFallback;
    private double angle;

    private TaskVectorSlerp(double l, double deltaAScale, double outputScale) {
        if (!(l >= 0 && l <= 1)) {
            throw new IllegalArgumentException("SLERP l must be in [0,1], got " + l);
        }
        this.l = l;
        this.deltaAScale = deltaAScale;
        this.outputScale = outputScale;
    }

    /** Plain SLERP of task vectors with interpolation factor l (weight of b). */
    public static TaskVectorSlerp of(double l) {
        return new TaskVectorSlerp(l, 1, 1);
    }

    /** SLERP between a LITI'd model a (factor etaOfA) and model b, LITI'd toward init with eta afterwards. */
    public static TaskVectorSlerp withLiti(double l, double etaOfA, double eta) {
        if (!(etaOfA > 0 && etaOfA <= 1) || !(eta > 0 && eta <= 1)) {
            throw new IllegalArgumentException("LITI eta must be in (0,1], got " + etaOfA + " and " + eta);
        }
        return new TaskVectorSlerp(l, 1 / etaOfA, eta);
    }

    /** SLERP on whole arrays (one tensor). */
    public static float[] slerp(float[] init, float[] a, float[] b, double l) {
        TaskVectorSlerp kernel = of(l);
        float[][] in = {init, a, b};
        float[] out = new float[init.length];
        kernel.beginTensor(null);
        kernel.observe(in, init.length);
        kernel.combine(in, out, init.length);
        return out;
    }

    @Override
    public int arity() {
        return 3;
    }

    @Override
    public boolean needsStatistics() {
        return true;
    }

    @Override
    public void beginTensor(TensorInfo tensor) {
        dot = 0;
        normA2 = 0;
        normB2 = 0;
        coefficientsReady = false;
    }

    @Override
    public void observe(float[][] inputs, int length) {
        float[] init = inputs[0];
        float[] a = inputs[1];
        float[] b = inputs[2];
        double s = deltaAScale;
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < length; i++) {
            double base = init[i];
            double da = (a[i] - base) * s;
            double db = b[i] - base;
            d += da * db;
            na += da * da;
            nb += db * db;
        }
        dot += d;
        normA2 += na;
        normB2 += nb;
    }

    @Override
    public void combine(float[][] inputs, float[] out, int length) {
        if (!coefficientsReady) {
            computeCoefficients();
        }
        float[] init = inputs[0];
        float[] a = inputs[1];
        float[] b = inputs[2];
        // fp32 fused multiply-adds vectorise (the double version is ~15x slower); the roundings are those of the
        // task vectors, scaled by coefficients <= 1, plus one of the output
        float ca = (float) (coefA * deltaAScale * outputScale);
        float cb = (float) (coefB * outputScale);
        if ((ca == 1 && cb == 0) || (ca == 0 && cb == 1)) {
            System.arraycopy(ca == 1 ? a : b, 0, out, 0, length); // l = 0 or 1: exactly a or b
            return;
        }
        for (int i = 0; i < length; i++) {
            float base = init[i];
            out[i] = Math.fma(ca, a[i] - base, Math.fma(cb, b[i] - base, base));
        }
    }

    /** Whether the last tensor fell back to linear interpolation. */
    public boolean usedLinearFallback() {
        return linearFallback;
    }

    /** Angle W in radians between the last tensor's task vectors (NaN when one was zero). */
    public double angle() {
        return angle;
    }

    private void computeCoefficients() {
        double norms = Math.sqrt(normA2) * Math.sqrt(normB2);
        double cos = norms > 0 ? Math.max(-1, Math.min(1, dot / norms)) : Double.NaN;
        angle = Double.isNaN(cos) ? Double.NaN : Math.acos(cos);
        linearFallback = !(norms > 0) || Math.abs(cos) > PARALLEL_COS;
        if (linearFallback) {
            coefA = 1 - l;
            coefB = l;
        } else {
            double sin = Math.sin(angle);
            coefA = Math.sin((1 - l) * angle) / sin;
            coefB = Math.sin(l * angle) / sin;
        }
        coefficientsReady = true;
    }
}
