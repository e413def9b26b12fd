package io.warmstream.local.bench.scorer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CPU yardstick: onnxruntime running the MiniLM encoder exactly as shipped (the ONNX file inside the langchain4j
 * jar), fed by the same pair tokenizer, so a "reward" costs tokenization plus the encoder forward pass, nothing else.
 */
final class Yardstick implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final PairTokenizer tokenizer;

    Yardstick(Path tokenizerFile, int intraOpThreads, boolean spinning) throws IOException, OrtException {
        byte[] model;
        try (InputStream in = Yardstick.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx")) {
            if (in == null) throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the classpath");
            model = in.readAllBytes();
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (intraOpThreads > 0) o.setIntraOpNumThreads(intraOpThreads);
            o.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
            session = env.createSession(model, o);
        }
        tokenizer = new PairTokenizer(tokenizerFile, 512, false);
    }

    /** Encodes and runs the encoder; returns the first hidden value so the work cannot be optimised away. */
    float run(List<String> prompts, List<String> responses) throws OrtException {
        TokenizedBatch b = tokenizer.encodePairs(prompts, responses);
        long[] shape = {b.batch(), b.seqLen()};
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.inputIds()), shape);
             OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(b.attentionMask()), shape);
             OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(b.tokenTypeIds()), shape);
             OrtSession.Result r = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            return ((OnnxTensor) r.get(0)).getFloatBuffer().get(0);
        }
    }

    double meanTokens(List<String> prompts, List<String> responses) {
        long n = 0;
        for (int i = 0; i < prompts.size(); i++) {
            n += tokenizer.encodePairs(prompts.subList(i, i + 1), responses.subList(i, i + 1)).realTokens();
        }
        return (double) n / prompts.size();
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
