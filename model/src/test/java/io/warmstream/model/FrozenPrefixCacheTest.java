package io.warmstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.model.weights.NamedTensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoring and training from a cached frozen bottom give what the whole network gives. */
class FrozenPrefixCacheTest {

    private static final BertConfig FOUR_LAYERS = BertConfig.tiny(32, 4, 2, 64);
    private static final List<PreferencePair> TRAIN = ToyPreferences.generate(64, 1);
    private static final List<PreferencePair> HELD_OUT = ToyPreferences.generate(48, 2);

    private static TrainingConfig.Builder config() {
        return TrainingConfig.builder().seed(5).learningRate(5e-3).batchSize(8).maxSteps(6).maxLength(24)
                .trainableTopLayers(2).compute(Compute.cpu());
    }

    @Test
    void rewardsFromTheCacheEqualTheFullForwardOfATrainedModel() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 11);
        List<String> prompts = HELD_OUT.stream().map(PreferencePair::prompt).toList();
        List<String> responses = HELD_OUT.stream().map(p -> p.chosen() + " " + p.rejected()).toList();
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), 24, 2);
             TrainedModel trained = new RewardModelTrainer().train(base, TRAIN, config().dropout(0.1).build(), null,
                     cache);
             RewardModel full = RewardModel.create(BaseModels.tiny(FOUR_LAYERS, 11), Compute.cpu(), 24)) {
            RewardModel model = trained.model();
            // Scored through a model of the training length, as the eval does; sequences of many lengths per batch.
            float[] expected;
            try (RewardModel atLength = RewardModel.copyOf(model, Compute.cpu(), 24)) {
                expected = atLength.score(prompts, responses);
            }
            float[] cached = cache.score(model, prompts, responses);
            assertEquals(expected.length, cached.length);
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i] - cached[i]));
            }
            assertTrue(max < 1e-5, "max |cached - full| = " + max);
            assertTrue(spread(expected) > 1e-3, "the trained model must not score everything alike");
            assertTrue(cache.matches(full), "an untrained copy of the base has the same bottom");
            assertEquals(6 * 8 * 2 + HELD_OUT.size(), cache.size(), "one entry per distinct sequence seen (6 steps of 8 pairs)");
            assertEquals(Boolean.FALSE, ((java.util.Map<?, ?>) trained.facts().get("frozen_prefix_cache"))
                    .get("bottom_dropout"));
        }
    }

    @Test
    void withoutDropoutTrainingFromTheCacheMatchesTrainingTheWholeNetwork() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 12);
        TrainingConfig cfg = config().dropout(0.0).build();
        RewardModelTrainer trainer = new RewardModelTrainer();
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), 24, 2);
             TrainedModel viaCache = trainer.train(base, TRAIN, cfg, null, cache);
             TrainedModel whole = trainer.train(base, TRAIN, cfg, null)) {
            List<NamedTensor> a = viaCache.model().tensors();
            List<NamedTensor> b = whole.model().tensors();
            double max = 0;
            double moved = 0;
            List<NamedTensor> init = base.tensors();
            for (int t = 0; t < a.size(); t++) {
                for (int i = 0; i < a.get(t).data().length; i++) {
                    max = Math.max(max, Math.abs(a.get(t).data()[i] - b.get(t).data()[i]));
                    moved = Math.max(moved, Math.abs(b.get(t).data()[i] - init.get(t).data()[i]));
                }
            }
            assertTrue(moved > 1e-3, "training must move the weights, moved " + moved);
            assertTrue(max < 1e-4, "max |cache-trained - whole-trained| = " + max);
        }
    }

    @Test
    void cachedFeaturesOfThePretrainedMiniLmEqualItsFullForward() {
        BaseModel base = BaseModels.miniLm();
        List<String> prompts = List.of("summarise the report", "what happened at the meeting", "q",
                "a much longer prompt that will be cut because the limit is low, with many words in it to truncate");
        List<String> responses = List.of("the report says costs rose", "nothing", "a short answer with some words",
                "a response that is also long enough to be truncated by the tokenizer at the chosen maximum length");
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), 32, 4);
             RewardModel model = RewardModel.create(base, Compute.cpu(), 32)) {
            float[][] expected = model.features(prompts, responses);
            float[] cached = cache.features(model, prompts, responses);
            int h = base.config().hiddenSize();
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int k = 0; k < h; k++) {
                    max = Math.max(max, Math.abs(expected[i][k] - cached[i * h + k]));
                }
            }
            assertTrue(max < 1e-5, "max |cached - full| feature = " + max);
        }
    }

    @Test
    void refusesModelsWithAnotherBottomAndMismatchedTraining() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 13);
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), 24, 2);
             RewardModel other = RewardModel.create(BaseModels.tiny(FOUR_LAYERS, 14), Compute.cpu(), 24)) {
            assertFalse(cache.matches(other));
            assertThrows(IllegalArgumentException.class, () -> cache.score(other, List.of("p"), List.of("r")));
            RewardModelTrainer trainer = new RewardModelTrainer();
            assertThrows(IllegalArgumentException.class,
                    () -> trainer.train(base, TRAIN, config().trainableTopLayers(3).build(), null, cache));
            assertThrows(IllegalArgumentException.class,
                    () -> trainer.train(base, TRAIN, config().maxLength(32).build(), null, cache));
            assertThrows(IllegalArgumentException.class,
                    () -> trainer.train(BaseModels.tiny(FOUR_LAYERS, 14), TRAIN, config().build(), null, cache));
        }
    }

    @Test
    void aValueComparisonWithTheCachesOwnBottomVouchesForAModelAndNothingElseDoes() {
        BaseModel base = BaseModels.tiny(FOUR_LAYERS, 15);
        BaseModel another = BaseModels.tiny(FOUR_LAYERS, 16);
        try (FrozenPrefixCache cache = FrozenPrefixCache.create(base, Compute.cpu(), 24, 2);
             RewardModel same = RewardModel.create(base, Compute.cpu(), 24);
             RewardModel other = RewardModel.create(another, Compute.cpu(), 24)) {
            FrozenBottomWeights own = FrozenBottomWeights.of(base, 2);
            assertEquals(cache.fingerprint(), own.fingerprint());
            assertNull(cache.firstDifference(same, own));
            assertArrayEquals(same.score(List.of("p q"), List.of("r s t")),
                    cache.score(same, List.of("p q"), List.of("r s t")), 1e-5f);
            assertEquals("bert.embeddings.position_embeddings.weight", cache.firstDifference(other, own),
                    "the first bottom tensor, by name, that differs (LayerNorms start alike)");
            assertFalse(cache.matches(other));
            // Weights of another bottom, or of other layers, cannot vouch even for the model they came from.
            assertNotNull(cache.firstDifference(other, FrozenBottomWeights.of(another, 2)));
            assertNotNull(cache.firstDifference(same, FrozenBottomWeights.of(base, 1)));
            assertThrows(IllegalArgumentException.class, () -> cache.score(other, List.of("p"), List.of("r")));
        }
    }

    private static double spread(float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
