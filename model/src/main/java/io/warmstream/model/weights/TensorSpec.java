package io.warmstream.model.weights;

/** A tensor declared to {@link SafetensorsWriter} before its data is streamed: name and shape, always written as F32. */
public record TensorSpec(String name, long[] shape) {

    public TensorSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        shape = shape.clone();
        TensorInfo.elementCount(name, shape);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return TensorInfo.elementCount(name, shape);
    }

    public static TensorSpec of(TensorInfo info) {
        return new TensorSpec(info.name(), info.shape());
    }

    public static TensorSpec of(NamedTensor tensor) {
        return new TensorSpec(tensor.name(), tensor.shape());
    }
}
