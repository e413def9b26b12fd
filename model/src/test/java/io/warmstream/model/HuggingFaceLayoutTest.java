package io.warmstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Python users load: Hugging Face names, shapes and semantics of the exported reward model. */
class HuggingFaceLayoutTest {

    @Test
    void miniLmRewardModelHasTheHuggingFaceStateDict() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        String e = "bert.embeddings.";
        expected.put(e + "word_embeddings.weight", new long[] {30522, 384});
        expected.put(e + "position_embeddings.weight", new long[] {512, 384});
        expected.put(e + "token_type_embeddings.weight", new long[] {2, 384});
        expected.put(e + "LayerNorm.weight", new long[] {384});
        expected.put(e + "LayerNorm.bias", new long[] {384});
        for (int i = 0; i < 6; i++) {
            String p = "bert.encoder.layer." + i + ".";
            for (String qkv : List.of("query", "key", "value")) {
                expected.put(p + "attention.self." + qkv + ".weight", new long[] {384, 384});
                expected.put(p + "attention.self." + qkv + ".bias", new long[] {384});
            }
            expected.put(p + "attention.output.dense.weight", new long[] {384, 384});
            expected.put(p + "attention.output.dense.bias", new long[] {384});
            expected.put(p + "attention.output.LayerNorm.weight", new long[] {384});
            expected.put(p + "attention.output.LayerNorm.bias", new long[] {384});
            expected.put(p + "intermediate.dense.weight", new long[] {1536, 384});
            expected.put(p + "intermediate.dense.bias", new long[] {1536});
            expected.put(p + "output.dense.weight", new long[] {384, 1536});
            expected.put(p + "output.dense.bias", new long[] {384});
            expected.put(p + "output.LayerNorm.weight", new long[] {384});
            expected.put(p + "output.LayerNorm.bias", new long[] {384});
        }
        expected.put("bert.pooler.dense.weight", new long[] {384, 384});
        expected.put("bert.pooler.dense.bias", new long[] {384});
        expected.put("classifier.weight", new long[] {1, 384});
        expected.put("classifier.bias", new long[] {1});
        assertEquals(105, expected.size());

        Map<String, long[]> actual = new LinkedHashMap<>();
        new BertRewardNetwork(BertConfig.miniLmL6()).parameterShapes().forEach((k, v) -> actual.put(k, v.getShape()));
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
        expected.forEach((k, v) -> assertEquals(Arrays.toString(v), Arrays.toString(actual.get(k)), k));
    }

    /**
     * An independent numpy implementation of Hugging Face's BertForSequenceClassification reads the saved directory
     * and must give our rewards. Skipped where python3 with numpy is missing.
     */
    @Test
    void numpyHuggingFaceSemanticsGiveTheSameRewards(@TempDir Path tmp) throws Exception {
        assumeTrue(pythonWithNumpy(), "python3 with numpy not available");
        List<String> prompts = List.of("how was the meal", "rate the hotel", "q");
        List<String> responses = List.of("the food was excellent and the staff were quick", "small room", "a");
        Path dir = tmp.resolve("rm");
        float[] ours;
        try (RewardModel m = RewardModel.create(RewardModelTest.tinyWithRandomHead(21), Compute.cpu())) {
            ours = m.score(prompts, responses);
            m.save(dir, Map.of());
        }
        TokenizedBatch batch;
        try (PairTokenizer t = new PairTokenizer(dir.resolve("tokenizer.json"), 512, false)) {
            batch = t.encodePairs(prompts, responses);
        }
        Map<String, Object> inputs = Map.of(
                "input_ids", rows(batch.inputIds(), batch.seqLen()),
                "token_type_ids", rows(batch.tokenTypeIds(), batch.seqLen()),
                "attention_mask", rows(batch.attentionMask(), batch.seqLen()));
        Path inputsFile = tmp.resolve("inputs.json");
        new ObjectMapper().writeValue(inputsFile.toFile(), inputs);
        Path script = tmp.resolve("hf_bert_reward.py");
        try (InputStream in = getClass().getResourceAsStream("hf_bert_reward.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("python3", script.toString(), dir.toString(), inputsFile.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        double[] theirs = new ObjectMapper().readValue(out, double[].class);
        assertEquals(ours.length, theirs.length);
        for (int i = 0; i < ours.length; i++) {
            assertEquals(theirs[i], ours[i], 1e-5, "reward " + i + " (ours " + Arrays.toString(ours) + ")");
        }
    }

    private static List<long[]> rows(long[] flat, int seqLen) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < flat.length; i += seqLen) {
            out.add(Arrays.copyOfRange(flat, i, i + seqLen));
        }
        return out;
    }

    private static boolean pythonWithNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
