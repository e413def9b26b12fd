package io.warmstream.model.merge;

/**
 * out = a + t (b - a) for inputs (a, b), in double so that each fold rounds once to fp32. Running means, weighted
 * means, EMA and LITI are all this with different t.
 */
final class Interpolation implements TensorKernel {

    private final double t;

    Interpolation(double t) {
        if (!Double.isFinite(t) || t < 0 || t > 1) {
            throw new IllegalArgumentException("interpolation factor must be in [0,1], got " + t);
        }
        this.t = t;
    }

    double factor() {
        return t;
    }

    @Override
    public int arity() {
        return 2;
    }

    @Override
    public void combine(float[][] inputs, float[] out, int length) {
        float[] a = inputs[0];
        float[] b = inputs[1];
        double f = t;
        for (int i = 0; i < length; i++) {
            double x = a[i];
            out[i] = (float) (x + f * (b[i] - x));
        }
    }
}
