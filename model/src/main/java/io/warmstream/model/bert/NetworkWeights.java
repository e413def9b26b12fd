package io.warmstream.model.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.warmstream.model.weights.NamedTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Moves named fp32 tensors into a network's parameters and back out. */
public final class NetworkWeights {

    private NetworkWeights() {}

    /**
     * Sets every parameter of {@code block} from the tensor of the same name, on {@code manager}'s device. Refuses
     * missing, extra or mis-shaped tensors, naming the first offender. Parameters start without gradients.
     */
    public static void load(HfBlock block, Collection<NamedTensor> tensors, NDManager manager) {
        Map<String, NamedTensor> byName = new LinkedHashMap<>();
        for (NamedTensor t : tensors) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor " + t.name() + " appears twice");
            }
        }
        Map<String, Shape> shapes = block.parameterShapes();
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            NamedTensor t = byName.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException("missing tensor " + e.getKey());
            }
            if (!Arrays.equals(t.shape(), e.getValue().getShape())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
                        + ", expected " + e.getValue());
            }
        }
        for (String name : byName.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("unexpected tensor " + name + " (not part of " + block.getClass().getSimpleName() + ")");
            }
        }
        for (Map.Entry<String, Parameter> e : block.parametersByName().entrySet()) {
            NamedTensor t = byName.get(e.getKey());
            NDArray array = manager.create(t.data(), new Shape(t.shape()));
            array.setRequiresGradient(false);
            Parameter p = e.getValue();
            if (p.isInitialized()) {
                p.getArray().close();
            }
            p.setArray(array);
        }
    }

    /** Copies every parameter out as fp32, in Hugging Face state-dict order. */
    public static List<NamedTensor> export(HfBlock block) {
        List<NamedTensor> out = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : block.parametersByName().entrySet()) {
            NDArray a = e.getValue().getArray();
            float[] data = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray()
                    : exportCast(a);
            out.add(new NamedTensor(e.getKey(), a.getShape().getShape(), data));
        }
        return out;
    }

    private static float[] exportCast(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }
}
