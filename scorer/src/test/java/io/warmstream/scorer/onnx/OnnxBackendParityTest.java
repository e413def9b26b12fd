package io.warmstream.scorer.onnx;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.scorer.serving.RewardFunction;
import io.warmstream.scorer.serving.ScoringBackend;
import io.warmstream.testkit.RandomHeads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The onnxruntime backend must give the rewards the DJL model gives, padding included. */
class OnnxBackendParityTest {

    @TempDir
    Path tmp;

    private static final List<String> PROMPTS = List.of("How do I boil an egg?", "Summarise: the cat sat on the mat all day long.",
            "Say hi", "Translate 'merci beaucoup' into English, please, and explain the politeness level.");
    private static final List<String> RESPONSES = List.of("Put it in boiling water for eight minutes.", "A cat sat.",
            "Hello there! How are you doing today, my friend?", "Thank you very much.");

    private void assertSameRewards(BaseModel base, float tolerance) {
        Path dir = tmp.resolve(base.name());
        float[] expected;
        try (RewardModel m = RewardModel.create(RandomHeads.withRandomHead(base, 5), Compute.cpu())) {
            m.save(dir, Map.of());
        }
        try (RewardModel m = RewardModel.load(dir, Compute.cpu())) {
            expected = m.score(PROMPTS, RESPONSES);
        }
        try (RewardFunction onnx = ScoringBackend.onnx(new OnnxRewardFunction.Settings(1, false, 3)).open(dir)) {
            float[] batched = onnx.score(PROMPTS, RESPONSES); // batches of 3 and 1: different padding
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], batched[i], tolerance, base.name() + " item " + i);
                float alone = onnx.score(PROMPTS.subList(i, i + 1), RESPONSES.subList(i, i + 1))[0];
                assertEquals(expected[i], alone, tolerance, base.name() + " item " + i + " alone");
            }
        }
        float spread = 0;
        for (float r : expected) spread = Math.max(spread, Math.abs(r - expected[0]));
        assertTrue(spread > 10 * tolerance, "inputs must get different rewards for the comparison to mean anything");
    }

    @Test
    void runtimeChoiceFollowsTheDevice() {
        assertEquals("onnxruntime/cpu", ScoringBackend.of("auto", Compute.cpu(), OnnxRewardFunction.Settings.DEFAULT).name());
        assertEquals("djl/cpu/fp32", ScoringBackend.of("djl", Compute.cpu(), OnnxRewardFunction.Settings.DEFAULT).name());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ScoringBackend.of("tensorrt", Compute.cpu(), OnnxRewardFunction.Settings.DEFAULT));
    }

    @Test
    void djlBackendScoresLikeTheRewardModel() {
        BaseModel base = RandomHeads.withRandomHead(BaseModels.tiny(4), 4);
        Path dir = tmp.resolve("djl");
        float[] expected;
        try (RewardModel m = RewardModel.create(base, Compute.cpu())) {
            m.save(dir, Map.of());
            expected = m.score(PROMPTS, RESPONSES);
        }
        try (RewardFunction djl = ScoringBackend.djl(Compute.cpu()).open(dir)) {
            float[] got = djl.score(PROMPTS, RESPONSES);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-6f);
            }
        }
    }

    @Test
    void tinyModelScoresTheSame() {
        assertSameRewards(BaseModels.tiny(3), 1e-5f);
    }

    @Test
    void miniLmScoresTheSame() {
        assertSameRewards(BaseModels.miniLm(), 1e-4f);
    }
}
