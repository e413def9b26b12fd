package io.warmstream.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.bert.NetworkWeights;
import io.warmstream.model.bert.NoGrad;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.LoadedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A BERT reward model in memory on one device: scores (prompt, response) pairs, evaluates preference pairs, saves to
 * a Hugging Face-loadable model directory. {@code score} and {@code evaluate} may be called from several threads at
 * once, but not while the model is being trained.
 */
public final class RewardModel implements AutoCloseable {

    private final NDManager manager;
    private final BertRewardNetwork network;
    private final PairTokenizer tokenizer;
    private final Path tokenizerFile;
    private final Lineage lineage;
    private final Compute compute;
    private final Map<String, Object> facts;
    private final int scoreBatchSize;

    private RewardModel(BertConfig config, List<NamedTensor> tensors, Path tokenizerFile, Lineage lineage,
                        Map<String, Object> facts, Compute compute, int maxLength) {
        this.compute = compute;
        this.tokenizerFile = tokenizerFile;
        this.lineage = lineage;
        this.facts = Map.copyOf(facts);
        this.scoreBatchSize = compute.device().isGpu() ? 256 : 32;
        manager = NDManager.newBaseManager(compute.device());
        try {
            network = new BertRewardNetwork(config);
            NetworkWeights.load(network, tensors, manager);
            network.encoder().setComputeType(compute.precision().dataType());
            tokenizer = new PairTokenizer(tokenizerFile, Math.min(maxLength, config.maxPositions()), false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** An untrained reward model on the base's weights, scoring up to 512 tokens per pair. */
    public static RewardModel create(BaseModel base, Compute compute) {
        return create(base, compute, base.config().maxPositions());
    }

    /** An untrained reward model on the base's weights; {@code maxLength} tokens per (prompt, response) sequence. */
    public static RewardModel create(BaseModel base, Compute compute, int maxLength) {
        return new RewardModel(base.config(), base.tensors(), base.tokenizerFile(), base.lineage(), base.facts(),
                compute, maxLength);
    }

    /** A copy of {@code source}'s current weights on {@code compute} (a clean model: no gradients, no optimizer state). */
    public static RewardModel copyOf(RewardModel source, Compute compute) {
        return copyOf(source, compute, source.config().maxPositions());
    }

    /** A copy of {@code source}'s current weights on {@code compute}, scoring up to {@code maxLength} tokens. */
    public static RewardModel copyOf(RewardModel source, Compute compute, int maxLength) {
        return new RewardModel(source.config(), source.tensors(), source.tokenizerFile, source.lineage, source.facts,
                compute, maxLength);
    }

    /** Loads a model directory (hash-verified) onto the default device in FP32. */
    public static RewardModel load(Path modelDir) {
        return load(modelDir, Compute.auto());
    }

    public static RewardModel load(Path modelDir, Compute compute) {
        LoadedModel loaded = ModelDirectory.read(modelDir);
        BertConfig config = BertConfig.fromHuggingFaceConfig(loaded.hfConfig());
        List<NamedTensor> tensors = new ArrayList<>();
        for (NamedTensor t : loaded.tensors()) {
            if (!t.name().equals("bert.embeddings.position_ids")) {
                tensors.add(t);
            }
        }
        return new RewardModel(config, tensors, modelDir.resolve(ModelDirectory.TOKENIZER_FILE), loaded.lineage(),
                loaded.facts(), compute, config.maxPositions());
    }

    /** Reward of each (prompts[i], responses[i]). */
    public float[] score(List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("got " + prompts.size() + " prompts but " + responses.size() + " responses");
        }
        float[] out = new float[prompts.size()];
        for (int start = 0; start < out.length; start += scoreBatchSize) {
            int end = Math.min(out.length, start + scoreBatchSize);
            TokenizedBatch batch = tokenizer.encodePairs(prompts.subList(start, end), responses.subList(start, end));
            float[] r = forward(batch, false);
            System.arraycopy(r, 0, out, start, r.length);
        }
        return out;
    }

    /** Accuracy and mean Bradley-Terry loss on {@code pairs}. */
    public Evaluation evaluate(List<PreferencePair> pairs) {
        PairRewards r = scorePairs(pairs);
        return Evaluation.of(r.chosen(), r.rejected());
    }

    /** The rewards of both responses of every pair, in the pairs' order. */
    public PairRewards scorePairs(List<PreferencePair> pairs) {
        List<String> prompts = new ArrayList<>(pairs.size());
        List<String> chosen = new ArrayList<>(pairs.size());
        List<String> rejected = new ArrayList<>(pairs.size());
        for (PreferencePair p : pairs) {
            prompts.add(p.prompt());
            chosen.add(p.chosen());
            rejected.add(p.rejected());
        }
        return new PairRewards(score(prompts, chosen), score(prompts, rejected));
    }

    /** {@code chosen[i]} and {@code rejected[i]}: the rewards of pair i's two responses. */
    public record PairRewards(float[] chosen, float[] rejected) {
    }

    /**
     * The pooler outputs the classifier sees, [n][hidden] (no dropout): the features of LP-FT's linear probe.
     */
    public float[][] features(List<String> prompts, List<String> responses) {
        return features(prompts, responses, () -> false);
    }

    /**
     * {@link #features(List, List)}, asking {@code cancelled} before each batch and throwing a
     * {@link CancellationException} once it says yes; the batches are the same as without it.
     */
    public float[][] features(List<String> prompts, List<String> responses,
                              BooleanSupplier cancelled) {
        int h = config().hiddenSize();
        float[][] out = new float[prompts.size()][];
        for (int start = 0; start < out.length; start += scoreBatchSize) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("stopped after " + start + " of " + out.length
                        + " sequences");
            }
            int end = Math.min(out.length, start + scoreBatchSize);
            TokenizedBatch batch = tokenizer.encodePairs(prompts.subList(start, end), responses.subList(start, end));
            float[] flat = forward(batch, true);
            for (int i = 0; i < end - start; i++) {
                out[start + i] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
            }
        }
        return out;
    }

    private float[] forward(TokenizedBatch batch, boolean pooled) {
        try (NoGrad noGrad = NoGrad.enter(); NDScope scope = new NDScope(); NDManager step = manager.newSubManager()) {
            NDList inputs = batch.toNDList(step);
            ParameterStore ps = new ParameterStore(step, false);
            NDArray result = pooled ? network.pooled(ps, inputs, false) : network.forward(ps, inputs, false).singletonOrThrow();
            return result.toFloatArray();
        }
    }

    /** Writes a model directory: model.safetensors, config.json, tokenizer.json, warmstream.json with {@code facts}. */
    public void save(Path dir, Map<String, Object> facts) {
        ModelDirectory.write(dir, tensors(), config().toHuggingFaceConfig(), tokenizerFile, lineage, facts);
    }

    /** All weights as fp32 tensors with Hugging Face names, in state-dict order. */
    public List<NamedTensor> tensors() {
        return NetworkWeights.export(network);
    }

    public Lineage lineage() {
        return lineage;
    }

    public Device device() {
        return compute.device();
    }

    public Compute compute() {
        return compute;
    }

    public BertConfig config() {
        return network.config();
    }

    /** Facts the model was loaded or created with (training facts, members, base). */
    public Map<String, Object> facts() {
        return facts;
    }

    public Path tokenizerFile() {
        return tokenizerFile;
    }

    /** Tokens per sequence when scoring. */
    public int maxLength() {
        return tokenizer.maxLength();
    }

    /** The DJL network, for the trainer; services only need {@link #score}. */
    public BertRewardNetwork network() {
        return network;
    }

    /** The manager owning the parameters, for the trainer. */
    public NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        tokenizer.close();
        manager.close();
    }
}
