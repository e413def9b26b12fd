package io.warmstream.local.stream;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardHead;
import io.warmstream.model.features.FeatureStore;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.scorer.evaluation.TestSet;
import io.warmstream.scorer.evaluation.TestSetAccuracy;
import io.warmstream.scorer.evaluation.TestSetOutcomes;
import io.warmstream.scorer.evaluation.TestSetScorer;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The yardstick a stream of members is held against: ONE reward model trained on every training label of the
 * stream (no hold-out labels), with the members' total optimizer steps, from the same base, recipe and LP head
 * procedure, judged on the same test sets the same way as the served versions.
 */
final class AllLabelsBaseline {

    /** The baseline's figures by test set, and what it was given. */
    record Result(Map<String, TestSetAccuracy> accuracy, List<TestSetOutcomes> outcomes, int trainPairs, int steps,
                  double learningRate, long millis) {
    }

    /** Bound of a reused disk cache; the run's own services keep theirs smaller, so nothing is evicted here. */
    static final long DISK_BYTES = 64L << 30;

    private AllLabelsBaseline() {
    }

    /**
     * @param trainingFeatures the run's trainer feature cache (same base, layers and length, so the same keys): the
     *                         baseline reads the frozen bottom of the labels the members saw instead of recomputing
     *                         it; null computes everything
     * @param evaluationFeatures the run's test-set judge cache, likewise
     */
    static Result train(StreamExperimentSettings s, List<LabelledPair> trainLabels, int steps, List<TestSet> testSets, Path work,
                        Path trainingFeatures, Path evaluationFeatures, PrintStream out) {
        long started = System.currentTimeMillis();
        Compute compute = Compute.auto();
        BaseModel base = BaseModels.byName(s.profile().baseModel());
        int length = number(s, "warm.trainer.planner.hyperparameters.max-sequence-length", 128);
        int trainable = number(s, "warm.trainer.planner.hyperparameters.trainable-layers", 2);
        int layers = base.config().numLayers();
        int frozen = trainable <= 0 || trainable >= layers ? 0 : layers - trainable;
        double lr = middleLearningRate(s);
        List<PreferencePair> pairs = trainLabels.stream()
                .map(l -> new PreferencePair(l.prompt(), l.chosen(), l.rejected())).toList();
        TrainingConfig cfg = TrainingConfig.builder().seed(s.seed()).learningRate(lr).dropout(0.1)
                .batchSize(number(s, "warm.trainer.planner.hyperparameters.batch-size", 16)).maxLength(length)
                .trainableTopLayers(trainable).epochs(1_000).maxSteps(Math.max(1, steps)).compute(compute).build();
        out.printf(Locale.ROOT, "baseline: one model on all %,d training labels, %d steps, lr %.1e%n", pairs.size(),
                steps, lr);
        RewardModelTrainer trainer = new RewardModelTrainer();
        Path dir = work.resolve("all-labels-model");
        try (FrozenPrefixCache cache = frozen == 0 ? null : FrozenPrefixCache.create(base, compute, length, frozen,
                FeatureStore.of(Long.MAX_VALUE, trainingFeatures, DISK_BYTES))) {
            RewardHead head = trainer.fitHead(base, pairs, cfg, cache);
            try (TrainedModel m = trainer.train(base.withHead(head), pairs, cfg, p -> {
                if (p.step() % 100 == 0) {
                    out.printf(Locale.ROOT, "baseline: step %d/%d, loss %.3f%n", p.step(), p.totalSteps(), p.loss());
                }
            }, cache)) {
                m.model().save(dir, Map.of("role", "stream experiment baseline: one model on all labels"));
            }
            if (cache != null) {
                io.warmstream.model.features.CacheStats c = cache.stats();
                out.printf(Locale.ROOT, "baseline: frozen layers' output read from the trainers' cache %,d times, computed "
                        + "%,d times%n", c.diskHits(), c.misses());
            }
        }
        Map<String, TestSetAccuracy> accuracy = new LinkedHashMap<>();
        List<TestSetOutcomes> outcomes;
        try (TestSetScorer scorer = new TestSetScorer(testSets, compute, 0, frozen, evaluationFeatures, DISK_BYTES)) {
            outcomes = scorer.outcomes(dir);
            outcomes.forEach(o -> accuracy.put(o.testSet(), o.accuracy()));
        }
        return new Result(accuracy, outcomes, pairs.size(), steps, lr, System.currentTimeMillis() - started);
    }

    /** The middle of the trainers' learning-rate grid: what a practitioner training one model would pick. */
    static double middleLearningRate(StreamExperimentSettings s) {
        Object grid = s.property("warm.trainer.planner.grid.learning-rates");
        String text = grid == null ? "1e-5,4e-5,1e-4" : grid.toString();
        List<Double> rates = java.util.Arrays.stream(text.split(",")).map(String::trim).map(Double::parseDouble)
                .sorted().toList();
        return rates.get(rates.size() / 2);
    }

    private static int number(StreamExperimentSettings s, String key, int fallback) {
        Object v = s.property(key);
        return v == null ? fallback : Integer.parseInt(v.toString().trim());
    }
}
