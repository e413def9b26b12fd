package io.warmstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.NamedTensor;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RewardModelTest {

    private static final List<String> PROMPTS = List.of("how was the meal", "rate the hotel", "q");
    private static final List<String> RESPONSES = List.of(
            "the food was excellent and the staff were quick, friendly and very attentive all evening",
            "small room", "a");

    /** A tiny base with a random (non-zero) head, so that scores are not trivially 0. */
    static BaseModel tinyWithRandomHead(long seed) {
        BaseModel base = BaseModels.tiny(seed);
        Random r = new Random(seed);
        float[] w = new float[base.config().hiddenSize()];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return base.withHead(new RewardHead(base.lineage().id(), w, 0.25f, Map.of()));
    }

    @Test
    void scoresAreTheSameAfterSaveAndLoad(@TempDir Path tmp) {
        TrainingConfig cfg = TrainingConfig.builder().seed(1).maxSteps(3).batchSize(8).maxLength(24)
                .learningRate(1e-3).compute(Compute.cpu()).build();
        Path dir = tmp.resolve("rm");
        float[] before;
        List<NamedTensor> tensors;
        try (TrainedModel trained = new RewardModelTrainer().train(tinyWithRandomHead(3),
                ToyPreferences.generate(32, 4), cfg, null)) {
            before = trained.model().score(PROMPTS, RESPONSES);
            tensors = trained.model().tensors();
            trained.save(dir);
        }
        try (RewardModel loaded = RewardModel.load(dir, Compute.cpu())) {
            assertArrayEquals(before, loaded.score(PROMPTS, RESPONSES), 0f);
            List<NamedTensor> reloaded = loaded.tensors();
            assertEquals(tensors.size(), reloaded.size());
            for (int i = 0; i < tensors.size(); i++) {
                assertTrue(tensors.get(i).sameContent(reloaded.get(i)), tensors.get(i).name());
            }
            assertEquals(BaseModels.tiny(3).lineage(), loaded.lineage());
            assertEquals(3, ((Number) loaded.facts().get("steps")).intValue());
            assertEquals(Device.cpu(), loaded.device());
        }
    }

    @Test
    void aCorruptedDirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("rm");
        try (RewardModel m = RewardModel.create(tinyWithRandomHead(2), Compute.cpu())) {
            m.save(dir, Map.of());
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("model.safetensors").toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x40);
        }
        assertThrows(ModelFormatException.class, () -> RewardModel.load(dir, Compute.cpu()));
    }

    @Test
    void paddingDoesNotChangeScores() {
        try (RewardModel m = RewardModel.create(tinyWithRandomHead(4), Compute.cpu())) {
            float[] batched = m.score(PROMPTS, RESPONSES); // the short pairs are padded to the longest
            for (int i = 0; i < PROMPTS.size(); i++) {
                float alone = m.score(List.of(PROMPTS.get(i)), List.of(RESPONSES.get(i)))[0];
                assertEquals(alone, batched[i], 1e-5, "pair " + i);
            }
            assertTrue(Math.abs(batched[0] - batched[1]) > 1e-3, "scores should differ between pairs");
        }
    }

    /** The half-precision path (GPU's mixed precision) runs on CPU too, so it is tested here. */
    @Test
    void fp16ForwardIsCloseToFp32() {
        BaseModel base = tinyWithRandomHead(5);
        try (RewardModel fp32 = RewardModel.create(base, Compute.cpu());
                RewardModel fp16 = RewardModel.create(base, Compute.of("cpu", "fp16"))) {
            float[] a = fp32.score(PROMPTS, RESPONSES);
            float[] b = fp16.score(PROMPTS, RESPONSES);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 0.01 * Math.abs(a[i]) + 0.01, "pair " + i);
                assertTrue(a[i] != b[i], "fp16 gave bit-identical scores: the half path did not run");
            }
            assertEquals(Precision.FP16, fp16.compute().precision());
        }
    }

    @Test
    void computeIsParsedFromConfigurationStrings() {
        assertEquals(new Compute(Device.cpu(), Precision.FP16), Compute.of("cpu", "FP16"));
        assertEquals(Precision.FP32, Compute.of("auto", "fp32").precision());
        assertThrows(IllegalArgumentException.class, () -> Compute.of("cpu", "bf16"));
        assertThrows(IllegalArgumentException.class, () -> Compute.of("gpu:7", "fp32"));
        assertThrows(IllegalArgumentException.class, () -> Compute.of("tpu", "fp32"));
    }

    @Test
    void baseModelsByName(@TempDir Path tmp) {
        assertEquals(BaseModels.tiny(0).lineage(), BaseModels.byName("tiny").lineage());
        assertEquals(BaseModels.tiny(9).lineage(), BaseModels.byName("tiny:9").lineage());
        assertTrue(!BaseModels.tiny(1).lineage().equals(BaseModels.tiny(2).lineage()));
        assertThrows(IllegalArgumentException.class, () -> BaseModels.byName("gpt-17"));
        Path dir = tmp.resolve("rm");
        try (RewardModel m = RewardModel.create(tinyWithRandomHead(6), Compute.cpu())) {
            m.save(dir, Map.of("note", "baklava"));
        }
        BaseModel fromDir = BaseModels.byName(dir.toString());
        assertEquals(BaseModels.tiny(6).lineage(), fromDir.lineage());
        assertEquals(5 + 2 * 16 + 4, fromDir.tensors().size());
    }
}
