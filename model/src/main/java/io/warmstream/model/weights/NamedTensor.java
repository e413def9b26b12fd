package io.warmstream.model.weights;

import java.util.Arrays;

/**
 * One fp32 tensor held in memory, row-major (C order), as Hugging Face and safetensors lay it out.
 * The arrays are not copied: callers hand over ownership.
 */
public record NamedTensor(String name, long[] shape, float[] data) {

    public NamedTensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        if (shape == null || data == null) {
            throw new IllegalArgumentException("tensor " + name + ": shape and data must not be null");
        }
        long numel = TensorInfo.elementCount(name, shape);
        if (numel != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + TensorInfo.formatShape(shape)
                    + " holds " + numel + " elements but data has " + data.length);
        }
    }

    @Override
    public String toString() {
        return "NamedTensor[" + name + " " + TensorInfo.formatShape(shape) + "]";
    }

    /** Content equality (records compare arrays by reference); floats compared by raw bits, so NaN payloads count. */
    public boolean sameContent(NamedTensor other) {
        if (other == null || !name.equals(other.name) || !Arrays.equals(shape, other.shape)
                || data.length != other.data.length) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(other.data[i])) {
                return false;
            }
        }
        return true;
    }
}
