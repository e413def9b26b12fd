package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.Evaluation;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.RewardModel;
import io.warmstream.model.ToyPreferences;
import io.warmstream.model.weights.NamedTensor;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LP-FT: a head fitted on frozen features, saved, shared by members of one average. */
class LpFtTest {

    private static final List<PreferencePair> PAIRS = ToyPreferences.generate(96, 21);

    @Test
    void fittedHeadIsSavedLoadedAndSharedByMembers(@TempDir Path tmp) {
        BaseModel base = BaseModels.tiny(12);
        RewardModelTrainer trainer = new RewardModelTrainer();
        TrainingConfig cfg = TrainingConfig.builder().maxLength(24).compute(Compute.cpu()).build();
        RewardHead head = trainer.fitHead(base, PAIRS, cfg);
        assertEquals(base.lineage().id(), head.lineageId());
        double probeAccuracy = ((Number) head.facts().get("probe_accuracy")).doubleValue();
        assertTrue(probeAccuracy > 0.6, "probe accuracy on its own pairs " + probeAccuracy);

        Path file = tmp.resolve("head.json");
        head.save(file);
        RewardHead loaded = RewardHead.load(file);
        assertArrayEquals(head.weight(), loaded.weight(), 0f); // bit-exact through JSON
        assertEquals(Float.floatToRawIntBits(head.bias()), Float.floatToRawIntBits(loaded.bias()));

        BaseModel shared = base.withHead(loaded);
        Evaluation probed;
        try (RewardModel m = RewardModel.create(shared, Compute.cpu(), 24)) {
            probed = m.evaluate(PAIRS);
            NamedTensor classifier = m.tensors().stream().filter(t -> t.name().equals("classifier.weight")).findFirst().orElseThrow();
            assertArrayEquals(head.weight(), classifier.data(), 0f);
        }
        // the probe's accuracy is what the model with that head gets (same features, same linear function)
        assertEquals(probeAccuracy, probed.accuracy(), 1e-9);
        assertTrue(shared.facts().containsKey("head_sha256"));

        // a head from another lineage is refused
        RewardHead alien = new RewardHead(BaseModels.tiny(13).lineage().id(), head.weight(), 0f, null);
        assertThrows(IllegalArgumentException.class, () -> base.withHead(alien));
    }

    @Test
    void aRecipesPenaltyIsUsedAsSetAndOtherwiseCrossValidated() {
        BaseModel base = BaseModels.tiny(12);
        RewardModelTrainer trainer = new RewardModelTrainer();
        TrainingConfig chosen = TrainingConfig.builder().maxLength(24).compute(Compute.cpu()).build();
        RewardHead cv = trainer.fitHead(base, PAIRS, chosen);
        assertEquals("cross-validation", cv.facts().get("l2_source"));
        RewardHead fixed = trainer.fitHead(base, PAIRS, chosen.toBuilder().probeL2(0.03).build());
        assertEquals("configured", fixed.facts().get("l2_source"));
        assertEquals(0.03, ((Number) fixed.facts().get("l2")).doubleValue(), 0);
    }

    /** A fit asks between feature batches whether to stop, with or without a prefix cache; unasked, it is unchanged. */
    @Test
    void aHeadFitStopsBetweenFeatureBatchesOnceCancelled() {
        BaseModel base = BaseModels.tiny(12);
        RewardModelTrainer trainer = new RewardModelTrainer();
        TrainingConfig cfg = TrainingConfig.builder().maxLength(24).compute(Compute.cpu()).probeL2(0.03).build();
        try (FrozenPrefixCache prefix = FrozenPrefixCache.create(base, Compute.cpu(), 24, 1)) {
            for (FrozenPrefixCache p : java.util.Arrays.asList(null, prefix)) {
                AtomicInteger asked = new AtomicInteger();
                assertThrows(CancellationException.class,
                        () -> trainer.fitHead(base, PAIRS, cfg, p, () -> asked.incrementAndGet() > 1));
                assertEquals(2, asked.get(), "stopped at the second batch, " + (p == null ? "whole network" : "cached"));
                RewardHead asIs = trainer.fitHead(base, PAIRS, cfg, p);
                RewardHead neverCancelled = trainer.fitHead(base, PAIRS, cfg, p, () -> false);
                assertArrayEquals(asIs.weight(), neverCancelled.weight(), 0f);
            }
        }
    }
}
