package io.warmstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.warmstream.model.weights.NamedTensor;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact copy of the embeddings' and bottom layers' weights of one model, to tell whether another model has the
 * same bottom value for value. {@link BottomFingerprint} is a 64-bit hash meant to key caches; before a service reuses
 * hidden states computed from one model's bottom to score another model, it compares the weights themselves, so
 * a model whose bottom differs in a single value (trained in full, altered) is never scored from the cache.
 * -0.0 counts as +0.0 (averaging may produce it; both give the same hidden states).
 *
 * <p>Memory: the bottom's fp32 values (about 76 MB for MiniLM-L6 with 4 bottom layers). Comparing reads the other
 * model's bottom once, far cheaper than a forward pass.
 */
public final class FrozenBottomWeights {

    private final int layers;
    private final Map<String, float[]> byName;
    private final long fingerprint;

    private FrozenBottomWeights(int layers, Map<String, float[]> byName, long fingerprint) {
        this.layers = layers;
        this.byName = byName;
        this.fingerprint = fingerprint;
    }

    /** The bottom {@code layers} encoder layers (and the embeddings) of {@code base}. */
    public static FrozenBottomWeights of(BaseModel base, int layers) {
        Map<String, float[]> byName = new TreeMap<>();
        for (NamedTensor t : base.tensors()) {
            if (BottomFingerprint.inBottom(t.name(), layers)) {
                byName.put(t.name(), t.data());
            }
        }
        return new FrozenBottomWeights(layers, byName, BottomFingerprint.of(base, layers));
    }

    /** {@link BottomFingerprint} of these weights: which cache's bottom they are. */
    public long fingerprint() {
        return fingerprint;
    }

    /** Encoder layers covered (besides the embeddings). */
    public int layers() {
        return layers;
    }

    /**
     * Null when {@code model}'s embeddings and bottom layers equal these value for value; otherwise the name of the
     * first tensor that differs (or is missing, or extra), for the log.
     */
    public String firstDifference(RewardModel model) {
        int seen = 0;
        for (Map.Entry<String, Parameter> e : new TreeMap<>(model.network().parametersByName()).entrySet()) {
            if (!BottomFingerprint.inBottom(e.getKey(), layers)) {
                continue;
            }
            float[] expected = byName.get(e.getKey());
            if (expected == null || !sameValues(expected, values(e.getValue().getArray()))) {
                return e.getKey();
            }
            seen++;
        }
        if (seen != byName.size()) {
            return byName.keySet().stream().filter(n -> !model.network().parametersByName().containsKey(n))
                    .findFirst().orElse("(a bottom tensor)");
        }
        return null;
    }

    private static float[] values(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    private static boolean sameValues(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            // Bit equality after + 0.0f: -0.0 becomes +0.0; a NaN never equals a number.
            if (Float.floatToIntBits(a[i] + 0.0f) != Float.floatToIntBits(b[i] + 0.0f)) {
                return false;
            }
        }
        return true;
    }
}
