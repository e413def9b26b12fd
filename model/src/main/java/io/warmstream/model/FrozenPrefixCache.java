package io.warmstream.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.bert.NoGrad;
import io.warmstream.model.features.CacheStats;
import io.warmstream.model.features.FeatureStore;
import io.warmstream.model.features.TokenSequence;
import io.warmstream.model.text.PairTokenizer;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The output of a frozen bottom of the encoder (embeddings and the lowest {@code frozenLayers} layers), computed
 * once per distinct token sequence and reused by every model that shares those bottom weights.
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
 * <p>Storage: a {@link FeatureStore}, keyed by (bottom fingerprint, layers, hidden size, max length, token ids and
 * types) after tokenisation, so texts that tokenise alike share an entry and several caches may share one store.
 * {@link #create(BaseModel, Compute, int, int)} keeps everything in memory (about {@code 4 * H} bytes per real
 * token: 1.5 KB per token for MiniLM); a bounded store with a disk tier evicts and recomputes as needed.
 *
 * <p>Safety: {@link #score} and the trainer refuse a model whose bottom weights differ from the cache's (compared by
 * value, {@link BottomFingerprint}). Thread-safe.
 */
public final class FrozenPrefixCache implements AutoCloseable {

    private static final BooleanSupplier NEVER = () -> false;

    private static final int BATCH = 32;

    private final FrozenBottom bottom;
    private final int frozenLayers;
    private final int hiddenSize;
    private final String architectureId;
    private final PairTokenizer tokenizer;
    private final FeatureStore store;
    private final Set<RewardModel> verified = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private FrozenPrefixCache(RewardModel source, int frozenLayers, int maxLength, FeatureStore store) {
        this.frozenLayers = frozenLayers;
        this.hiddenSize = source.config().hiddenSize();
        this.architectureId = source.config().architectureId();
        this.bottom = new FrozenBottom(source, frozenLayers, maxLength, store);
        this.tokenizer = new PairTokenizer(source.tokenizerFile(), maxLength, false);
        this.store = store;
    }

    /**
     * A cache of the output of {@code base}'s embeddings and bottom {@code frozenLayers} layers (1 to the number of
     * layers - 1 would be usual; 0 caches the embeddings), for sequences of up to {@code maxLength} tokens, held in
     * memory without bound.
     */
    public static FrozenPrefixCache create(BaseModel base, Compute compute, int maxLength, int frozenLayers) {
        return create(base, compute, maxLength, frozenLayers, FeatureStore.inMemory(Long.MAX_VALUE));
    }

    /** As {@link #create(BaseModel, Compute, int, int)}, keeping the hidden states in {@code store}. */
    public static FrozenPrefixCache create(BaseModel base, Compute compute, int maxLength, int frozenLayers,
                                           FeatureStore store) {
        if (frozenLayers < 0 || frozenLayers > base.config().numLayers()) {
            throw new IllegalArgumentException("frozenLayers must be in 0.." + base.config().numLayers()
                    + ", got " + frozenLayers);
        }
        RewardModel source = RewardModel.create(base, compute, maxLength);
        try {
            return new FrozenPrefixCache(source, frozenLayers, maxLength, store);
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

    /** {@link BottomFingerprint} of the weights the hidden states come from. */
    public long fingerprint() {
        return bottom.fingerprint();
    }

    /** Sequences held in memory (of every cache sharing the store). */
    public int size() {
        return store.memory().entries();
    }

    /** Bytes held in memory (of every cache sharing the store). */
    public long bytes() {
        return store.memory().bytes();
    }

    /** What the store did and holds (shared by every cache on the store). */
    public CacheStats stats() {
        return store.stats();
    }

    /** True when {@code model}'s embeddings and bottom layers have the cache's weights (by value). */
    public boolean matches(RewardModel model) {
        if (verified.contains(model)) {
            return true;
        }
        boolean same = sameArchitecture(model.config().architectureId())
                && BottomFingerprint.of(model, frozenLayers) == fingerprint();
        if (same) {
            verified.add(model);
        }
        return same;
    }

    /**
     * {@link #matches(RewardModel)} by value, without hashing the model's bottom: null when {@code cacheBottom} is
     * this cache's bottom (same layers and fingerprint) and {@code model}'s embeddings and bottom layers equal it value
     * for value, after which {@link #score} takes the model without checking again; otherwise the first tensor that
     * differs, or why {@code cacheBottom} cannot tell.
     */
    public String firstDifference(RewardModel model, FrozenBottomWeights cacheBottom) {
        if (cacheBottom.layers() != frozenLayers || cacheBottom.fingerprint() != fingerprint()) {
            return "(the weights compared with are not this cache's bottom)";
        }
        if (!sameArchitecture(model.config().architectureId())) {
            return "(architecture " + model.config().architectureId() + ")";
        }
        String differs = cacheBottom.firstDifference(model);
        if (differs == null) {
            verified.add(model);
        }
        return differs;
    }

    /** True when {@code base}'s embeddings and bottom layers have the cache's weights (by value). */
    public boolean matches(BaseModel base) {
        return sameArchitecture(base.config().architectureId())
                && BottomFingerprint.of(base, frozenLayers) == fingerprint();
    }

    /**
     * Computes and stores the hidden states of {@code (prompts[i], responses[i])} that the store lacks, so a later
     * {@link #score} of them runs only the top layers; returns how many sequences had to be computed.
     */
    public long precompute(List<String> prompts, List<String> responses) {
        requireOneResponseEach(prompts, responses);
        if (prompts.isEmpty()) {
            return 0;
        }
        long before = store.stats().misses();
        bottom.hiddenStates(TokenSequence.rows(tokenizer.encodePairs(prompts, responses)));
        return store.stats().misses() - before;
    }

    /** {@code model.score(prompts, responses)} at {@link #maxLength()} tokens, from the cached bottom. */
    public float[] score(RewardModel model, List<String> prompts, List<String> responses) {
        return run(model, prompts, responses, false, NEVER);
    }

    /** {@code model.features(prompts, responses)} (pooler outputs), from the cached bottom; flat [n * H]. */
    public float[] features(RewardModel model, List<String> prompts, List<String> responses) {
        return run(model, prompts, responses, true, NEVER);
    }

    /**
     * {@link #features(RewardModel, List, List)}, asking {@code cancelled} before each batch and throwing a
     * {@link CancellationException} once it says yes; the batches, hence the figures, are the
     * same as without it.
     */
    public float[] features(RewardModel model, List<String> prompts, List<String> responses,
                            BooleanSupplier cancelled) {
        return run(model, prompts, responses, true, cancelled);
    }

    /** Accuracy and mean Bradley-Terry loss of {@code model} on {@code pairs}, from the cached bottom. */
    public Evaluation evaluate(RewardModel model, List<PreferencePair> pairs) {
        List<String> prompts = pairs.stream().map(PreferencePair::prompt).toList();
        return Evaluation.of(score(model, prompts, pairs.stream().map(PreferencePair::chosen).toList()),
                score(model, prompts, pairs.stream().map(PreferencePair::rejected).toList()));
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
        return padded(manager, bottom.hiddenStates(TokenSequence.rows(tokenizer.encodePairs(prompts, responses))));
    }

    /** Cached rows as [hidden [B, T, H], attention mask [B, T]], padded to the longest row. */
    private NDList padded(NDManager manager, float[][] rows) {
        int b = rows.length;
        int t = 0;
        for (float[] row : rows) {
            t = Math.max(t, row.length / hiddenSize);
        }
        float[] data = new float[b * t * hiddenSize];
        long[] mask = new long[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, data, i * t * hiddenSize, rows[i].length);
            java.util.Arrays.fill(mask, i * t, i * t + rows[i].length / hiddenSize, 1L);
        }
        return new NDList(manager.create(data, new Shape(b, t, hiddenSize)), manager.create(mask, new Shape(b, t)));
    }

    /**
     * Runs the top layers in batches of sequences of similar length (sorted by tokens), so a batch pads little;
     * results go back in the callers' order.
     */
    private float[] run(RewardModel model, List<String> prompts, List<String> responses, boolean pooled,
                        BooleanSupplier cancelled) {
        requireOneResponseEach(prompts, responses);
        if (!matches(model)) {
            throw new IllegalArgumentException("the model's embeddings or bottom " + frozenLayers
                    + " layers differ from the cache's: its rewards cannot come from the cached hidden states");
        }
        int width = pooled ? hiddenSize : 1;
        float[] out = new float[prompts.size() * width];
        if (prompts.isEmpty()) {
            return out;
        }
        List<TokenSequence> sequences = TokenSequence.rows(tokenizer.encodePairs(prompts, responses));
        Integer[] order = new Integer[sequences.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> sequences.get(i).length()));
        BertRewardNetwork network = model.network();
        for (int start = 0; start < order.length; start += BATCH) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("stopped after " + start + " of " + order.length
                        + " sequences");
            }
            int end = Math.min(order.length, start + BATCH);
            List<TokenSequence> batch = new java.util.ArrayList<>(end - start);
            for (int j = start; j < end; j++) {
                batch.add(sequences.get(order[j]));
            }
            try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope();
                    NDManager step = model.manager().newSubManager()) {
                NDList in = padded(step, bottom.hiddenStates(batch));
                ParameterStore ps = new ParameterStore(step, false);
                NDArray r = pooled ? network.pooledFrom(ps, in.get(0), in.get(1), frozenLayers, false)
                        : network.rewardsFrom(ps, in.get(0), in.get(1), frozenLayers, false);
                float[] values = r.toFloatArray();
                for (int j = start; j < end; j++) {
                    System.arraycopy(values, (j - start) * width, out, order[j] * width, width);
                }
            }
        }
        return out;
    }

    private static void requireOneResponseEach(List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("got " + prompts.size() + " prompts but " + responses.size()
                    + " responses");
        }
    }

    private boolean sameArchitecture(String architectureId) {
        return architectureId.equals(this.architectureId);
    }

    @Override
    public void close() {
        tokenizer.close();
        bottom.close();
    }
}
