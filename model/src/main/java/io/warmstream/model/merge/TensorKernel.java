package io.warmstream.model.merge;

import io.warmstream.model.weights.TensorInfo;

/**
 * An element-wise merge of aligned tensors, fed in chunks by {@link StreamingMerge} so that memory is bounded by
 * the chunk size, not by tensor size or by the number of models. Kernels that need a whole-tensor statistic
 * (SLERP's angle) ask for a first pass over every tensor before the output pass.
 */
public interface TensorKernel {

    /** How many aligned inputs {@link #combine} receives. */
    int arity();

    default boolean needsStatistics() {
        return false;
    }

    /** Called before each tensor's passes. */
    default void beginTensor(TensorInfo tensor) {
    }

    /** Statistics pass: the same chunks as the output pass, in order. */
    default void observe(float[][] inputs, int length) {
    }

    /** out[i] = f(inputs[0][i], ..., inputs[arity-1][i]) for i in [0, length). */
    void combine(float[][] inputs, float[] out, int length);
}
