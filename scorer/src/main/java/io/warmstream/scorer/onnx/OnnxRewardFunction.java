package io.warmstream.scorer.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import io.warmstream.model.weights.NamedTensor;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A reward model run by onnxruntime on the CPU: the graph of {@link RewardNetworkOnnx} with the model's weights,
 * fed by the same pair tokenizer as the DJL model. {@code score} may be called from several threads at once. Serving
 * adapts it to its {@code RewardFunction}; this package depends on model/ types only.
 */
public final class OnnxRewardFunction implements AutoCloseable {

    /**
     * @param intraOpThreads onnxruntime threads per forward pass (0: one per core)
     * @param spinning       whether idle pool threads spin: faster on a dedicated machine, wasteful on a shared one
     * @param batchSize      items per forward pass; larger inputs are split
     */
    public record Settings(int intraOpThreads, boolean spinning, int batchSize) {
        public static final Settings DEFAULT = new Settings(0, false, 32);
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final PairTokenizer tokenizer;
    private final int batchSize;
    /** The weights the session was given from memory: kept for the session's lifetime, released with it. */
    private final List<ai.onnxruntime.OnnxTensorLike> weights;

    private OnnxRewardFunction(OrtSession session, PairTokenizer tokenizer, int batchSize,
                               List<ai.onnxruntime.OnnxTensorLike> weights) {
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.weights = weights;
    }

    /**
     * Builds the session from a reward model's tensors (Hugging Face names) and its tokenizer file. The graph goes to
     * onnxruntime without its large weights, which follow from memory ({@link RewardNetworkOnnx.Graph}).
     */
    public static OnnxRewardFunction create(BertConfig config, List<NamedTensor> tensors, Path tokenizerFile, Settings s) {
        List<NamedTensor> used = tensors.stream().filter(t -> !t.name().equals("bert.embeddings.position_ids")).toList();
        RewardNetworkOnnx.Graph graph = RewardNetworkOnnx.writeGraph(config, used);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, ai.onnxruntime.OnnxTensorLike> external = new java.util.LinkedHashMap<>();
        boolean built = false;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            for (Map.Entry<String, float[]> w : graph.weights().entrySet()) {
                float[] values = w.getValue();
                FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(4 * values.length)
                        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
                direct.put(values).rewind();
                external.put(w.getKey(), OnnxTensor.createTensor(env, direct, graph.shapes().get(w.getKey())));
            }
            options.addExternalInitializers(external);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (s.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(s.intraOpThreads());
            }
            options.addConfigEntry("session.intra_op.allow_spinning", s.spinning() ? "1" : "0");
            OrtSession session = env.createSession(graph.model(), options);
            PairTokenizer tokenizer = new PairTokenizer(tokenizerFile, config.maxPositions(), false);
            built = true;
            return new OnnxRewardFunction(session, tokenizer, s.batchSize(), List.copyOf(external.values()));
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime refused the reward model graph: " + e.getMessage(), e);
        } finally {
            if (!built) {
                ai.onnxruntime.OnnxValue.close(external);
            }
        }
    }

    public float[] score(List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size()) {
            throw new IllegalArgumentException("got " + prompts.size() + " prompts but " + responses.size() + " responses");
        }
        float[] out = new float[prompts.size()];
        for (int start = 0; start < out.length; start += batchSize) {
            int end = Math.min(out.length, start + batchSize);
            float[] r = forward(tokenizer.encodePairs(prompts.subList(start, end), responses.subList(start, end)));
            System.arraycopy(r, 0, out, start, r.length);
        }
        return out;
    }

    private float[] forward(TokenizedBatch b) {
        long[] shape = {b.batch(), b.seqLen()};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.inputIds()), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(b.tokenTypeIds()), shape);
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(b.attentionMask()), shape);
             OrtSession.Result result = session.run(Map.of(RewardNetworkOnnx.INPUT_IDS, ids,
                     RewardNetworkOnnx.TOKEN_TYPE_IDS, types, RewardNetworkOnnx.ATTENTION_MASK, mask))) {
            FloatBuffer r = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[r.remaining()];
            r.get(out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("onnxruntime failed on a batch of " + b.batch() + ": " + e.getMessage(), e);
        }
    }

    /** Tokens per (prompt, response) sequence at most: longer pairs are truncated. */
    public int maxSequenceTokens() {
        return tokenizer.maxLength();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        } finally {
            tokenizer.close();
            ai.onnxruntime.OnnxValue.close(weights);
        }
    }
}
