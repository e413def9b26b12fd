package io.warmstream.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Compute precision of the forward pass. Master weights, optimizer state, LayerNorm, softmax and the loss always stay
 * fp32 (autocast-like); FP16 and BF16 cast the matmul inputs.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    /** Half precision with dynamic loss scaling; GPU only. */
    FP16(DataType.FLOAT16),
    /** bfloat16: fp32's range, no loss scaling needed. Best on recent GPUs; runs (slowly) on CPU too. */
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** "fp32" | "fp16" | "bf16" (case-insensitive). */
    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("precision must be one of fp32, fp16, bf16; got \"" + s + "\"");
        }
    }
}
