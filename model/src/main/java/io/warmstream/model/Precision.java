package io.warmstream.model;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Compute precision of the forward pass. Master weights, optimizer state, LayerNorm, softmax and the loss always stay
 * fp32 (autocast-like); FP16 casts the matmul inputs and trains with dynamic loss scaling.
 *
 * <p>No BF16: DJL 0.35.1's PyTorch JNI has no bfloat16 dtype mapping (casting to it aborts the JVM with
 * "terminate called without an active exception"), so fp16 is the half precision on offer.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    /** Half precision with dynamic loss scaling. Meant for GPUs; it runs on CPU too, slowly (useful in tests). */
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** "fp32" | "fp16" (case-insensitive). */
    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("precision must be fp32 or fp16 (bf16 is not supported by DJL's PyTorch engine); got \"" + s + "\"");
        }
    }
}
