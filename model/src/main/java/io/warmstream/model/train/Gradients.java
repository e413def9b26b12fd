package io.warmstream.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.warmstream.model.bert.NoGrad;
import java.util.Collection;

/** Global gradient norm and zeroing over a set of parameters. */
final class Gradients {

    private Gradients() {}

    /** sqrt(sum of squared gradient entries), in fp32 on the device; NaN or infinity if any entry is. */
    static double globalNorm(Collection<Parameter> parameters) {
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope()) {
            NDArray total = null;
            for (Parameter p : parameters) {
                NDArray sq = p.getArray().getGradient().square().sum();
                total = total == null ? sq : total.addi(sq);
            }
            return total == null ? 0 : Math.sqrt(total.getFloat());
        }
    }

    /** Zeroes accumulated gradients (PyTorch accumulates across backward calls). */
    static void zero(Collection<Parameter> parameters) {
        for (Parameter p : parameters) {
            // DJL's own zeroGradients() walks every array of the engine; this touches only ours.
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }
}
