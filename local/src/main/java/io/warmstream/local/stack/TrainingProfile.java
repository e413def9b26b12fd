package io.warmstream.local.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training settings the stack gives its services: the shared base model, how often the planner makes a job,
 * how big a job is, and the held-out split, which trainers and the merger must agree on.
 *
 * @param name        shown when the stack starts
 * @param baseModel   the shared pretrained base: {@code minilm-l6}, or {@code tiny} for fast tests
 * @param properties  service properties ({@code warm.trainer.*}, {@code warm.merger.*})
 */
public record TrainingProfile(String name, String baseModel, Map<String, Object> properties) {

    private static final String PLANNER = "warm.trainer.planner.";
    private static final String HYPER = PLANNER + "hyperparameters.";

    public TrainingProfile {
        properties = Map.copyOf(properties);
    }

    /**
     * Real MiniLM-L6 sized so the first WARM version appears within about five minutes on two CPU cores: a job per
     * 240 labels (a minute of the demo's default rate, about what one trainer needs for a job), at most 24 steps of
     * 16 pairs training the top two encoder layers, and a held-out tenth of the labels, so the first members are
     * judged on more than a handful of pairs.
     */
    public static TrainingProfile cpuDemo() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(PLANNER + "labels-per-job", 240);
        p.put(PLANNER + "min-labels", 64);
        p.put(PLANNER + "interval", "90s");
        p.put(HYPER + "batch-size", 16);
        p.put(HYPER + "max-sequence-length", 128);
        p.put(HYPER + "trainable-layers", 2);
        p.put(HYPER + "max-steps", 24);
        p.put("warm.trainer.worker.progress-every", 2);
        holdout(p, 0.1);
        // The merger's linear-mode-connectivity guard and quality gate score each candidate (the gate also the served
        // version, once per label) on held-out labels: keep that quick on a CPU.
        p.put("warm.merger.guard.max-labels", 128);
        // Every version shares the pretrained bottom 4 layers: the scorer's test-set judge computes them once.
        p.put("warm.scorer.evaluation.cached-layers", 4);
        return new TrainingProfile("MiniLM-L6 (pretrained), CPU demo settings", "minilm-l6", p);
    }

    /**
     * A tiny random-init encoder: seconds per job, for tests of the machinery. Its members are near chance, so the
     * merger's accuracy floor, guard and quality gate are off (near chance, the gate would withhold versions at random).
     */
    public static TrainingProfile tiny() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(PLANNER + "labels-per-job", 100);
        p.put(PLANNER + "min-labels", 32);
        p.put(PLANNER + "interval", "20s");
        p.put(PLANNER + "check-interval", "1s");
        p.put(HYPER + "batch-size", 8);
        p.put(HYPER + "max-sequence-length", 64);
        p.put(HYPER + "trainable-layers", -1);
        p.put(HYPER + "max-steps", 6);
        p.put("warm.trainer.worker.progress-every", 2);
        holdout(p, 0.2);
        p.put("warm.merger.min-validation-accuracy", 0.0);
        p.put("warm.merger.guard.enabled", false);
        p.put("warm.scorer.evaluation.cached-layers", 0);
        p.put("warm.merger.gate.enabled", false);
        return new TrainingProfile("tiny random-init encoder (tests)", "tiny", p);
    }

    /**
     * Trainers hold out labels by a hash of their id; the merger's guard and the scorer's drift reference (PSI against
     * held-out rewards) must use the very same split.
     */
    private static void holdout(Map<String, Object> p, double fraction) {
        p.put(PLANNER + "validation-fraction", fraction);
        p.put("warm.merger.holdout.fraction", fraction);
        p.put("warm.scorer.drift.holdout.fraction", fraction);
    }
}
