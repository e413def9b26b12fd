package io.warmstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.warmstream.model.bert.NoGrad;
import io.warmstream.model.features.FeatureStore;
import io.warmstream.model.features.SequenceKey;
import io.warmstream.model.features.TokenSequence;
import io.warmstream.model.text.TokenizedBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The frozen bottom of one base on a device, behind a {@link FeatureStore}: hidden states of token sequences come
 * from the store when it has them, else are computed (shortest first, in batches, so little padding is computed)
 * and stored. Owns the source model.
 */
final class FrozenBottom implements AutoCloseable {

    private static final int BATCH = 32;

    private final RewardModel source;
    private final int layers;
    private final int hiddenSize;
    private final long fingerprint;
    private final byte[] namespace;
    private final FeatureStore store;

    FrozenBottom(RewardModel source, int layers, int maxLength, FeatureStore store) {
        this.source = source;
        this.layers = layers;
        this.hiddenSize = source.config().hiddenSize();
        this.fingerprint = BottomFingerprint.of(source, layers);
        this.namespace = SequenceKey.namespace(fingerprint, layers, hiddenSize, maxLength);
        this.store = store;
    }

    long fingerprint() {
        return fingerprint;
    }

    /**
     * Each sequence's hidden state [T_i * H] leaving the bottom. The rows are held here until the caller is done
     * with them, so the store may evict them meanwhile (a batch larger than the memory budget still works).
     */
    float[][] hiddenStates(List<TokenSequence> sequences) {
        float[][] rows = new float[sequences.size()][];
        Map<SequenceKey, List<Integer>> missing = new LinkedHashMap<>();
        for (int i = 0; i < rows.length; i++) {
            SequenceKey key = SequenceKey.of(namespace, sequences.get(i));
            List<Integer> waiting = missing.get(key);
            if (waiting != null) {
                waiting.add(i);
            } else if ((rows[i] = store.get(key)) == null) {
                missing.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            }
        }
        List<SequenceKey> keys = new ArrayList<>(missing.keySet());
        keys.sort(Comparator.comparingInt(k -> sequences.get(missing.get(k).get(0)).length()));
        for (int start = 0; start < keys.size(); start += BATCH) {
            List<SequenceKey> chunk = keys.subList(start, Math.min(keys.size(), start + BATCH));
            float[][] computed = compute(chunk.stream().map(k -> sequences.get(missing.get(k).get(0))).toList());
            for (int c = 0; c < chunk.size(); c++) {
                store.put(chunk.get(c), computed[c]);
                for (int i : missing.get(chunk.get(c))) {
                    rows[i] = computed[c];
                }
            }
        }
        return rows;
    }

    /** The bottom's output for each sequence, cut to its real tokens. */
    private float[][] compute(List<TokenSequence> sequences) {
        TokenizedBatch batch = TokenSequence.pad(sequences);
        int t = batch.seqLen();
        float[] flat;
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope();
                NDManager step = source.manager().newSubManager()) {
            NDArray h = source.network().encoder().bottom(new ParameterStore(step, false), batch.toNDList(step),
                    layers, false);
            flat = (h.getDataType() == DataType.FLOAT32 ? h : h.toType(DataType.FLOAT32, false)).toFloatArray();
        }
        float[][] out = new float[sequences.size()][];
        for (int r = 0; r < out.length; r++) {
            int from = r * t * hiddenSize;
            out[r] = java.util.Arrays.copyOfRange(flat, from, from + sequences.get(r).length() * hiddenSize);
        }
        return out;
    }

    @Override
    public void close() {
        source.close();
    }
}
