package io.warmstream.model.weights;

/** Exact widening of the two 16-bit float formats to fp32 (Java 17 has no Float.float16ToFloat). */
final class HalfPrecision {

    private HalfPrecision() {
    }

    /** IEEE 754 binary16: 1 sign, 5 exponent, 10 mantissa bits. Subnormals, infinities and NaN payloads kept. */
    static float f16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            // Subnormal: value = mantissa * 2^-24, exact in fp32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** bfloat16 is the upper half of an fp32. */
    static float bf16ToFloat(short bf) {
        return Float.intBitsToFloat((bf & 0xffff) << 16);
    }
}
