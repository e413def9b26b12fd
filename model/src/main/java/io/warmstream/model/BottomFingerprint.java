package io.warmstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.weights.NamedTensor;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A 64-bit hash of the embeddings' and bottom layers' weights by value (-0.0 as +0.0, which averaging may produce),
 * in name order: equal for a base and every model that kept its frozen bottom, whatever order its tensors come in.
 * It decides whether cached hidden states apply to a model; it is not a security boundary.
 */
public final class BottomFingerprint {

    private BottomFingerprint() {
    }

    /** The fingerprint of {@code model}'s current weights. */
    public static long of(RewardModel model, int frozenLayers) {
        Map<String, Supplier<float[]>> bottom = new TreeMap<>();
        for (Map.Entry<String, Parameter> e : model.network().parametersByName().entrySet()) {
            if (inBottom(e.getKey(), frozenLayers)) {
                NDArray a = e.getValue().getArray();
                bottom.put(e.getKey(), () -> a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : exported(a));
            }
        }
        return hash(bottom);
    }

    /** The fingerprint of a base's weights, without building a model on a device. */
    public static long of(BaseModel base, int frozenLayers) {
        Map<String, Supplier<float[]>> bottom = new TreeMap<>();
        for (NamedTensor t : base.tensors()) {
            if (inBottom(t.name(), frozenLayers)) {
                bottom.put(t.name(), t::data);
            }
        }
        return hash(bottom);
    }

    /** Whether the tensor {@code name} belongs to the embeddings or the bottom {@code frozenLayers} encoder layers. */
    static boolean inBottom(String name, int frozenLayers) {
        String encoder = BertRewardNetwork.ENCODER_PREFIX;
        if (name.startsWith(encoder + "embeddings.")) {
            return true;
        }
        String layers = encoder + "encoder.layer.";
        if (!name.startsWith(layers)) {
            return false;
        }
        int dot = name.indexOf('.', layers.length());
        return dot > 0 && Integer.parseInt(name.substring(layers.length(), dot)) < frozenLayers;
    }

    private static long hash(Map<String, Supplier<float[]>> byName) {
        long h = 0x9E3779B97F4A7C15L;
        for (Map.Entry<String, Supplier<float[]>> e : byName.entrySet()) {
            h = mix(h, e.getKey().hashCode());
            for (float v : e.getValue().get()) {
                h = mix(h, Float.floatToIntBits(v + 0.0f));
            }
        }
        return h;
    }

    private static float[] exported(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static long mix(long h, int v) {
        long z = (h ^ v) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 29);
    }
}
