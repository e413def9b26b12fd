package io.warmstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.warmstream.model.bert.BertEncoder;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.bert.NoGrad;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The output of a frozen bottom of the encoder (embeddings and the lowest {@code frozenLayers} layers), computed
 * once per distinct (prompt, response) and reused by every model that shares those bottom weights.
 *
 * <p>Why: models fine-tuned with only their top layers trainable, their weight averages and interpolations all have
 * the bottom of the pretrained encoder, bit for bit. Scoring them (or training them) from the cached hidden state
 * skips the bottom's work: with 2 of 6 layers trainable, two thirds of every forward pass. The top layer then
 * computes [CLS] only (all the reward reads), which leaves about a fifth of the full forward pass.
 *
 * <p>Exactness: real tokens attend only to real tokens (padding is masked out), so a token's hidden state does not
 * depend on how its batch was padded; the cache keeps each sequence at its own length and pads again per batch.
 * In evaluation mode, rewards from the cache equal the full forward pass up to float reassociation (tested within
 * 1e-5). In training, the bottom runs without dropout (the frozen-feature-extractor setting): the bottom's dropout
 * is the only thing that differs from training through the whole network.
 *
 * <p>Safety: {@link #score} and the trainer refuse a model whose bottom weights differ from the cache's (compared by
 * value: -0.0 equals +0.0, which averaging may produce). Thread-safe; entries are never evicted (about
 * {@code 4 * H} bytes per real token: 1.5 KB per token for MiniLM).
 */
public final class FrozenPrefixCache implements AutoCloseable {

    private static final int BATCH = 32;

    private final RewardModel source;
    private final int frozenLayers;
    private final int hiddenSize;
    private final PairTokenizer tokenizer;
    private final long fingerprint;
    private final Map<String, float[]> hidden = new ConcurrentHashMap<>();
    private final Set<RewardModel> verified = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private FrozenPrefixCache(RewardModel source, int frozenLayers, int maxLength) {
        this.source = source;
        this.frozenLayers = frozenLayers;
        this.hiddenSize = source.config().hiddenSize();
        this.tokenizer = new PairTokenizer(source.tokenizerFile(), maxLength, false);
        this.fingerprint = fingerprint(source, frozenLayers);
    }

    /**
     * A cache of the output of {@code base}'s embeddings and bottom {@code frozenLayers} layers (1 to the number of
     * layers - 1 would be usual; 0 caches the embeddings), for sequences of up to {@code maxLength} tokens.
     */
    public static FrozenPrefixCache create(BaseModel base, Compute compute, int maxLength, int frozenLayers) {
        if (frozenLayers < 0 || frozenLayers > base.config().numLayers()) {
            throw new IllegalArgumentException("frozenLayers must be in 0.." + base.config().numLayers()
                    + ", got " + frozenLayers);
        }
        RewardModel source = RewardModel.create(base, compute, maxLength);
        try {
            return new FrozenPrefixCache(source, frozenLayers, maxLength);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /** Encoder layers whose output is cached: a model using the cache runs layers from this index up. */
    public int frozenLayers() {
        return frozenLayers;
    }

    /** Tokens per (prompt, response) sequence, as in {@link RewardModel#score} at this length. */
    public int maxLength() {
        return tokenizer.maxLength();
    }

    /** Distinct sequences cached so far. */
    public int size() {
        return hidden.size();
    }

    /** Bytes of cached hidden states. */
    public long bytes() {
        return hidden.values().stream().mapToLong(a -> 4L * a.length).sum();
    }

    /** True when {@code model}'s embeddings and bottom layers have the cache's weights (by value). */
    public boolean matches(RewardModel model) {
        if (verified.contains(model)) {
            return true;
        }
        boolean same = model.config().architectureId().equals(source.config().architectureId())
                && fingerprint(model, frozenLayers) == fingerprint;
        if (same) {
            verified.add(model);
        }
        return same;
    }

    /** {@code model.score(prompts, responses)} at {@link #maxLength()} tokens, from the cached bottom. */
    public float[] score(RewardModel model, List<String> prompts, List<String> responses) {
        return run(model, prompts, responses, false);
    }

    /** {@code model.features(prompts, responses)} (pooler outputs), from the cached bottom; flat [n * H]. */
    public float[] features(RewardModel model, List<String> prompts, List<String> responses) {
        return run(model, prompts, responses, true);
    }

    /**
     * The cached hidden states of {@code (prompts[i], responses[i])}, computing missing ones: [hidden [B, T, H]
     * fp32, attention mask [B, T] int64] on {@code manager}, padded to the longest sequence. Feed them to
     * {@link BertRewardNetwork#rewardsFrom} with {@code fromLayer = frozenLayers()}.
     */
    public NDList hiddenStates(NDManager manager, List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one; got "
                    + prompts.size() + " and " + responses.size());
        }
        ensure(prompts, responses);
        int b = prompts.size();
        float[][] rows = new float[b][];
        int t = 0;
        for (int i = 0; i < b; i++) {
            rows[i] = hidden.get(key(prompts.get(i), responses.get(i)));
            t = Math.max(t, rows[i].length / hiddenSize);
        }
        float[] data = new float[b * t * hiddenSize];
        long[] mask = new long[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, data, i * t * hiddenSize, rows[i].length);
            java.util.Arrays.fill(mask, i * t, i * t + rows[i].length / hiddenSize, 1L);
        }
        return new NDList(manager.create(data, new Shape(b, t, hiddenSize)), manager.create(mask, new Shape(b, t)));
    }

    private float[] run(RewardModel model, List<String> prompts, List<String> responses, boolean pooled) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("got " + prompts.size() + " prompts but " + responses.size()
                    + " responses");
        }
        if (!matches(model)) {
            throw new IllegalArgumentException("the model's embeddings or bottom " + frozenLayers
                    + " layers differ from the cache's: its rewards cannot come from the cached hidden states");
        }
        int width = pooled ? hiddenSize : 1;
        float[] out = new float[prompts.size() * width];
        BertRewardNetwork network = model.network();
        for (int start = 0; start < prompts.size(); start += BATCH) {
            int end = Math.min(prompts.size(), start + BATCH);
            try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope();
                    NDManager step = model.manager().newSubManager()) {
                NDList in = hiddenStates(step, prompts.subList(start, end), responses.subList(start, end));
                ParameterStore ps = new ParameterStore(step, false);
                NDArray r = pooled ? network.pooledFrom(ps, in.get(0), in.get(1), frozenLayers, false)
                        : network.rewardsFrom(ps, in.get(0), in.get(1), frozenLayers, false);
                float[] values = r.toFloatArray();
                System.arraycopy(values, 0, out, start * width, values.length);
            }
        }
        return out;
    }

    /** Computes the missing entries, shortest first, in batches (little padding). */
    private void ensure(List<String> prompts, List<String> responses) {
        List<Integer> missing = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < prompts.size(); i++) {
            String k = key(prompts.get(i), responses.get(i));
            if (!hidden.containsKey(k) && seen.add(k)) {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        missing.sort(Comparator.comparingInt(i -> prompts.get(i).length() + responses.get(i).length()));
        BertEncoder encoder = source.network().encoder();
        for (int start = 0; start < missing.size(); start += BATCH) {
            List<Integer> ids = missing.subList(start, Math.min(missing.size(), start + BATCH));
            TokenizedBatch batch = tokenizer.encodePairs(ids.stream().map(prompts::get).toList(),
                    ids.stream().map(responses::get).toList());
            float[] flat;
            try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope();
                    NDManager step = source.manager().newSubManager()) {
                NDArray h = encoder.bottom(new ParameterStore(step, false), batch.toNDList(step), frozenLayers,
                        false);
                flat = (h.getDataType() == DataType.FLOAT32 ? h : h.toType(DataType.FLOAT32, false)).toFloatArray();
            }
            int t = batch.seqLen();
            for (int r = 0; r < ids.size(); r++) {
                int length = realLength(batch.attentionMask(), r, t);
                int from = r * t * hiddenSize;
                hidden.put(key(prompts.get(ids.get(r)), responses.get(ids.get(r))),
                        java.util.Arrays.copyOfRange(flat, from, from + length * hiddenSize));
            }
        }
    }

    /** Real tokens of row r; padding must be on the right (what the cache's re-padding assumes). */
    private static int realLength(long[] mask, int row, int t) {
        int length = 0;
        while (length < t && mask[row * t + length] == 1) {
            length++;
        }
        for (int k = length; k < t; k++) {
            if (mask[row * t + k] != 0) {
                throw new IllegalStateException("tokenizer padded on the left; the prefix cache needs right padding");
            }
        }
        return length;
    }

    private static String key(String prompt, String response) {
        return prompt.length() + ":" + prompt + response;
    }

    /** Hash of the embeddings' and bottom layers' weights by value (-0.0 as +0.0), in parameter order. */
    private static long fingerprint(RewardModel model, int frozenLayers) {
        List<String> prefixes = new ArrayList<>();
        prefixes.add(BertRewardNetwork.ENCODER_PREFIX + "embeddings.");
        prefixes.addAll(model.network().encoder().layerPrefixes().subList(0, frozenLayers));
        long h = 0x9E3779B97F4A7C15L;
        for (Map.Entry<String, Parameter> e : model.network().parametersByName().entrySet()) {
            if (prefixes.stream().noneMatch(e.getKey()::startsWith)) {
                continue;
            }
            h = mix(h, e.getKey().hashCode());
            NDArray a = e.getValue().getArray();
            float[] values = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : exported(a);
            for (float v : values) {
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

    @Override
    public void close() {
        tokenizer.close();
        source.close();
    }
}
