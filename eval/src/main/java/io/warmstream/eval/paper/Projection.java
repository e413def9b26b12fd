package io.warmstream.eval.paper;

import io.warmstream.model.BaseModel;
import io.warmstream.model.Compute;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.RewardModel;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's projected wall time on the device it found, measured before it starts: a few training steps and a batch
 * of scorings of the base model with the run's own settings (sequence length, batch, trainable layers, cache), timed
 * after a warm-up, multiplied by the planned steps and scored sequences. A projection, not a promise: it leaves out
 * the LP heads, the weight averaging and model loading, and a shared machine changes speed as it runs.
 */
final class Projection {

    private static final int STEPS = 3;
    private static final int PAIRS = 32;

    private Projection() {
    }

    static Map<String, Object> measure(EvalSettings s, EvalData data, BaseModel base, Compute compute,
                                       FrozenPrefixCache prefix, ModelScorer scorer, Path scratch, long steps,
                                       long sequences) {
        RewardModelTrainer trainer = new RewardModelTrainer();
        List<io.warmstream.model.PreferencePair> pairs = data.training().values().iterator().next()
                .asPreferencePairs();
        double one = timeTraining(trainer, base, pairs, s, compute, prefix, 1);
        double more = timeTraining(trainer, base, pairs, s, compute, prefix, 1 + STEPS);
        double perStep = Math.max(0, (more - one) / STEPS);
        Path dir = scratch.resolve("projection-model");
        try (RewardModel m = RewardModel.create(base, compute, s.maxLength())) {
            m.save(dir, Map.of("role", "projection of the run's time"));
        }
        PairSet sample = data.interpolationSet(PAIRS);
        scorer.scoreValidation(dir, sample); // warm-up (and the cache's bottom for these sequences)
        long start = System.nanoTime();
        scorer.scoreValidation(dir, sample);
        double perSequence = (System.nanoTime() - start) / 1e9 / (2.0 * sample.size());
        io.warmstream.model.store.DirectoryTree.delete(dir);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("device", compute.toString());
        out.put("secondsPerTrainingStep", perStep);
        out.put("secondsPerScoredSequence", perSequence);
        out.put("plannedTrainingSteps", steps);
        out.put("plannedScoredSequences", sequences);
        out.put("projectedSeconds", perStep * steps + perSequence * sequences);
        return out;
    }

    static String line(Map<String, Object> p) {
        double seconds = ((Number) p.get("projectedSeconds")).doubleValue();
        return String.format(Locale.ROOT, "projected time on %s: about %s (%d training steps x %.3f s + %d scored "
                        + "sequences x %.4f s, measured just now; more if the machine is shared)", p.get("device"),
                Progress.duration(seconds), ((Number) p.get("plannedTrainingSteps")).longValue(),
                ((Number) p.get("secondsPerTrainingStep")).doubleValue(),
                ((Number) p.get("plannedScoredSequences")).longValue(),
                ((Number) p.get("secondsPerScoredSequence")).doubleValue());
    }

    private static double timeTraining(RewardModelTrainer trainer, BaseModel base,
                                       List<io.warmstream.model.PreferencePair> pairs, EvalSettings s, Compute compute,
                                       FrozenPrefixCache prefix, int steps) {
        TrainingConfig cfg = TrainingConfig.builder().seed(s.seed()).learningRate(s.learningRates().get(0))
                .dropout(s.dropouts().get(0)).maxSteps(steps).batchSize(s.batchSize()).maxLength(s.maxLength())
                .trainableTopLayers(s.trainableTopLayers()).warmupRatio(s.warmupRatio()).compute(compute).build();
        long start = System.nanoTime();
        try (TrainedModel m = trainer.train(base, pairs, cfg, p -> { }, prefix)) {
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
