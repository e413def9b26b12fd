package io.warmstream.model.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.warmstream.model.onnx.OnnxWeights;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import io.warmstream.model.weights.NamedTensor;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * THE real-model test: our DJL encoder with the pretrained weights against onnxruntime on the same ONNX file
 * (all-MiniLM-L6-v2, and bge-small-en-v1.5, the second choice).
 */
class PretrainedParityTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("all-minilm-l6-v2", BertConfig.miniLmL6()),
                Arguments.of("bge-small-en-v1.5", BertConfig.bgeSmall()));
    }

    @ParameterizedTest
    @MethodSource("models")
    void lastHiddenStatesMatchOnnxRuntime(String model, BertConfig config, @TempDir Path tmp) throws Exception {
        Path tokenizerJson = tmp.resolve("tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(model + "-tokenizer.json")) {
            Files.copy(in, tokenizerJson, StandardCopyOption.REPLACE_EXISTING);
        }
        TokenizedBatch batch;
        try (PairTokenizer tok = new PairTokenizer(tokenizerJson, 64, false)) {
            batch = tok.encodePairs(
                    List.of("How do I boil an egg?", "Summarise the article.", "Is the sky green?"),
                    List.of("Put it in boiling water for nine minutes, then cool it in cold water.",
                            "The article argues that weight averaging makes reward models robust to label noise and distribution shift.",
                            "No."));
        }
        // the last pair is short: rows are padded, so attention masking is exercised
        assertTrue(batch.realTokens() < (long) batch.batch() * batch.seqLen());

        float[] expected = onnxRuntime(model + ".onnx", batch);
        float[] actual;
        List<NamedTensor> weights = OnnxWeights.readEncoderResource(model + ".onnx");
        assertEquals(5 + config.numLayers() * 16, weights.size());
        BertEncoder encoder = new BertEncoder("", config);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu()); NDScope scope = new NDScope()) {
            NetworkWeights.load(encoder, weights, manager);
            NDList inputs = batch.toNDList(manager);
            NDArray hidden = encoder.forward(new ParameterStore(manager, false), inputs, false).singletonOrThrow();
            actual = hidden.toFloatArray();
        }
        assertEquals(expected.length, actual.length);
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
        }
        double maxDiffReal = 0;
        int h = config.hiddenSize();
        for (int i = 0; i < expected.length; i++) {
            if (batch.attentionMask()[i / h] == 1) {
                maxDiffReal = Math.max(maxDiffReal, Math.abs(expected[i] - actual[i]));
            }
        }
        System.out.println(model + ": max |djl - onnxruntime| on last_hidden_state = " + maxDiff
                + " (real tokens only: " + maxDiffReal + ")");
        assertTrue(maxDiffReal <= 1e-4, "max abs difference on real tokens " + maxDiffReal);
        assertTrue(maxDiff <= 1e-4, "max abs difference " + maxDiff);
        // the comparison is not vacuous: hidden states have real magnitude
        double maxAbs = 0;
        for (float v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertTrue(maxAbs > 0.5, "hidden states suspiciously small: " + maxAbs);
        System.out.println("max |hidden| = " + maxAbs);
    }

    private float[] onnxRuntime(String resource, TokenizedBatch b) throws Exception {
        byte[] model;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] shape = {b.batch(), b.seqLen()};
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(b.inputIds()), shape);
                OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(b.attentionMask()), shape);
                OnnxTensor types = OnnxTensor.createTensor(env, LongBuffer.wrap(b.tokenTypeIds()), shape);
                OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types))) {
            assertEquals(List.of("last_hidden_state"), List.copyOf(session.getOutputNames()));
            OnnxTensor out = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
            float[] flat = new float[Math.toIntExact(out.getInfo().getNumElements())];
            out.getFloatBuffer().get(flat);
            return flat;
        }
    }
}
