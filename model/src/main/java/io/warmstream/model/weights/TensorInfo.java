package io.warmstream.model.weights;

import java.util.Arrays;

/**
 * One entry of a safetensors header: name, dtype, shape and the byte range [begin, end) relative to the start of
 * the data section (the byte after the header), as the format defines it.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return elementCount(name, shape);
    }

    public long byteLength() {
        return end - begin;
    }

    public boolean sameShape(TensorInfo other) {
        return Arrays.equals(shape, other.shape);
    }

    public String shapeText() {
        return formatShape(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + formatShape(shape) + " @[" + begin + "," + end + ")";
    }

    /** Product of the dimensions; refuses negative dimensions and overflow. A scalar (no dimension) has one element. */
    static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor " + name + ": negative dimension in shape " + formatShape(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** "[384,1536]": the form used in every error message. */
    public static String formatShape(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
