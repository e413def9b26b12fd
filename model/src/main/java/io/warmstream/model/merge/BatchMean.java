package io.warmstream.model.merge;

/**
 * Plain mean of K aligned inputs, accumulated in double: the sliding window's recomputation, and (K = 1) the copy
 * that starts an average.
 */
public final class BatchMean implements TensorKernel {

    private final int count;
    private double[] sum = new double[0];

    public BatchMean(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("mean of " + count + " inputs");
        }
        this.count = count;
    }

    @Override
    public int arity() {
        return count;
    }

    @Override
    public void combine(float[][] inputs, float[] out, int length) {
        if (count == 1) {
            System.arraycopy(inputs[0], 0, out, 0, length);
            return;
        }
        if (sum.length < length) {
            sum = new double[length];
        }
        double[] s = sum;
        float[] first = inputs[0];
        for (int i = 0; i < length; i++) {
            s[i] = first[i];
        }
        for (int k = 1; k < count; k++) {
            float[] x = inputs[k];
            for (int i = 0; i < length; i++) {
                s[i] += x[i];
            }
        }
        double k = count;
        for (int i = 0; i < length; i++) {
            out[i] = (float) (s[i] / k);
        }
    }
}
