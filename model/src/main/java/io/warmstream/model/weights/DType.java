package io.warmstream.model.weights;

/**
 * The element types of the safetensors format. Every type is known so that any file's header can be validated;
 * only F32, F16 and BF16 can be read as floats (F16 and BF16 are widened to fp32 exactly).
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** True when {@link SafetensorsReader} can return this type as fp32 without loss. */
    public boolean readableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The dtype for a header string, or null when the string names no dtype this reader knows. */
    static DType fromHeader(String text) {
        for (DType d : values()) {
            if (d.name().equals(text)) {
                return d;
            }
        }
        return null;
    }
}
