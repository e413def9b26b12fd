package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.ToyPreferences;
import io.warmstream.model.weights.NamedTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Determinism, freezing and memory of the training loop, on the tiny model. */
class TrainingMechanicsTest {

    private static final List<PreferencePair> DATA = ToyPreferences.generate(64, 11);
    private final RewardModelTrainer trainer = new RewardModelTrainer();

    private static TrainingConfig.Builder quick() {
        return TrainingConfig.builder().learningRate(1e-3).batchSize(8).maxLength(24).compute(Compute.cpu());
    }

    private List<NamedTensor> train(BaseModel base, TrainingConfig cfg) {
        try (TrainedModel m = trainer.train(base, DATA, cfg, null)) {
            return m.model().tensors();
        }
    }

    @Test
    void sameSeedAndDataGiveIdenticalWeights() {
        BaseModel base = BaseModels.tiny(5);
        TrainingConfig cfg = quick().seed(42).maxSteps(5).dropout(0.1).build();
        List<NamedTensor> a = train(base, cfg);
        List<NamedTensor> b = train(base, cfg);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).sameContent(b.get(i)), "tensor differs between identical runs: " + a.get(i).name());
        }
        List<NamedTensor> other = train(base, cfg.toBuilder().seed(43).build());
        boolean anyDifferent = false;
        for (int i = 0; i < a.size(); i++) {
            anyDifferent |= !a.get(i).sameContent(other.get(i));
        }
        assertTrue(anyDifferent, "a different seed gave the same weights");
    }

    @Test
    void frozenLayersStayUnchanged() {
        BaseModel base = BaseModels.tiny(6);
        Map<String, NamedTensor> before = byName(base.tensors());
        Map<String, NamedTensor> after = byName(train(base, quick().seed(1).maxSteps(4).trainableTopLayers(1).build()));
        for (String name : before.keySet()) {
            boolean frozen = name.startsWith("bert.embeddings.") || name.startsWith("bert.encoder.layer.0.");
            boolean same = before.get(name).sameContent(after.get(name));
            if (frozen) {
                assertTrue(same, "frozen parameter changed: " + name);
            } else if (!name.equals("classifier.bias")) { // Bradley-Terry is blind to the bias
                assertFalse(same, "trainable parameter did not change: " + name);
            }
        }
    }

    /** Services stop a run by interrupting its thread; nothing stays allocated. */
    @Test
    void interruptionCancelsTheRunAndFreesEverything() {
        int before = liveArrays();
        TrainingConfig cfg = quick().seed(1).maxSteps(50).build();
        try {
            assertThrows(CancellationException.class, () -> trainer.train(BaseModels.tiny(3), DATA, cfg, p -> {
                if (p.step() == 2) {
                    Thread.currentThread().interrupt();
                }
            }));
        } finally {
            Thread.interrupted(); // clear the flag for the next tests
        }
        assertEquals(before, liveArrays());
    }

    /** Bradley-Terry is blind to a constant reward offset; the centering term is not. */
    @Test
    void rewardCenteringPullsTheOffsetTowardZero() {
        BaseModel tiny = BaseModels.tiny(10);
        float[] w = new float[tiny.config().hiddenSize()];
        w[0] = 0.5f;
        BaseModel base = tiny.withHead(new RewardHead(tiny.lineage().id(), w, 3.0f, null));
        TrainingConfig plain = quick().seed(5).maxSteps(6).build();
        float biasPlain = byName(train(base, plain)).get("classifier.bias").data()[0];
        float biasCentred = byName(train(base, plain.toBuilder().rewardCenteringWeight(0.5).build()))
                .get("classifier.bias").data()[0];
        assertEquals(3.0f, biasPlain, 0f, "without centering nothing moves the bias (and it has no weight decay)");
        assertTrue(biasCentred < 3.0f - 1e-3, "centering should lower the bias, got " + biasCentred);
    }

    /** Mixed precision with dynamic loss scaling (the GPU option) also runs on CPU: it must train. */
    @Test
    void fp16TrainingStepsUpdateTheWeights() {
        BaseModel base = BaseModels.tiny(9);
        List<TrainingProgress> progress = new ArrayList<>();
        TrainingConfig cfg = quick().seed(4).maxSteps(4).compute(Compute.of("cpu", "fp16")).build();
        List<NamedTensor> after;
        try (TrainedModel m = trainer.train(base, DATA, cfg, progress::add)) {
            after = m.model().tensors();
            assertEquals("fp16", ((Map<?, ?>) m.facts().get("training")).get("precision"));
        }
        assertTrue(progress.stream().allMatch(p -> Double.isFinite(p.loss())), "losses " + progress);
        assertTrue(progress.stream().filter(p -> !p.skipped()).count() >= 3, "steps skipped: " + progress);
        Map<String, NamedTensor> before = byName(base.tensors());
        assertFalse(before.get("bert.encoder.layer.0.attention.self.query.weight")
                .sameContent(byName(after).get("bert.encoder.layer.0.attention.self.query.weight")));
    }

    @Test
    void memoryDoesNotGrowAcrossSteps() throws IOException {
        BaseModel base = BaseModels.tiny(8);
        List<Integer> arrays = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        TrainingConfig cfg = quick().seed(2).maxSteps(60).batchSize(4).maxLength(16).build();
        try (TrainedModel m = trainer.train(base, DATA, cfg, p -> {
            arrays.add(liveArrays());
            rss.add(residentKb());
        })) {
            assertEquals(60, arrays.size());
        }
        System.out.println("live arrays at steps 1/10/60: " + arrays.get(0) + "/" + arrays.get(9) + "/" + arrays.get(59)
                + ", RSS kB at 10/60: " + rss.get(9) + "/" + rss.get(59));
        assertEquals(arrays.get(9), arrays.get(59), "NDArrays leak across steps");
        // The array count catches every leaked tensor. RSS also moves with the Java heap filling up between GCs
        // (~1 MB per step here); a leaked copy of the largest tensor per step would add ~200 MB over 50 steps.
        assertTrue(rss.get(59) - rss.get(9) < 128 * 1024, "RSS grew by " + (rss.get(59) - rss.get(9)) + " kB over 50 steps");
    }

    /** Every NDArray alive in the engine (the system manager's tree). */
    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    private static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static Map<String, NamedTensor> byName(List<NamedTensor> tensors) {
        return tensors.stream().collect(Collectors.toMap(NamedTensor::name, Function.identity()));
    }
}
