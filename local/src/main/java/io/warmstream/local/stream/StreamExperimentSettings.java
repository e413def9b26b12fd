package io.warmstream.local.stream;

import io.warmstream.local.stack.TrainingProfile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one stream experiment runs: the training profile the services get (as in {@code warm demo}), how many
 * simulated labels are fed and how fast, the merge strategies to compare (one run each, same labels), the time
 * limit of each run, and the baseline that gets the members' total compute.
 *
 * @param labels          label budget per run
 * @param rate            labels per second fed through ingest (the trainers work on the newest data they have)
 * @param baselineMaxSteps cap on the all-labels baseline's steps (its compute is the members' total steps); 0: none
 * @param replayStrategies strategies the first run's members are folded under afterwards ({@link StrategyReplay});
 *                         empty: no replay
 */
public record StreamExperimentSettings(String preset, TrainingProfile profile, long seed, double flipFraction, long labels,
                             double rate, List<String> strategies, Duration timeLimit, Duration quiet,
                             int baselineMaxSteps, List<String> replayStrategies, Path outDir,
                             Map<String, Object> overrides) {

    /** The merger's default strategy (warm.merger.strategy): what a stream run uses unless --strategies says otherwise. */
    static final String SERVICE_DEFAULT = "data-size-weighted";
    /** The streaming strategies the replay compares by default; their parameters are the merger's settings. */
    static final List<String> ALL_STREAMING = List.of("uniform", "accuracy-weighted", "data-size-weighted", "ema",
            "sliding-window");
    /**
     * Parameters for folding a handful of members, each trained on more labels than the one before: WARP's EMA
     * factor (0.01) is meant for per-step weights and would keep the first member for ever.
     */
    private static final Map<String, Object> STREAM_MERGE = Map.of("warm.merger.ema-mu", 0.3,
            "warm.merger.window-size", 3);

    private static Map<String, Object> withMerge(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(STREAM_MERGE);
        all.putAll(more);
        return all;
    }

    public StreamExperimentSettings {
        strategies = List.copyOf(strategies);
        replayStrategies = List.copyOf(replayStrategies);
        for (String name : replayStrategies) {
            if (io.warmstream.model.merge.MergeStrategy.fromConfig(name) == io.warmstream.model.merge.MergeStrategy.SLERP_LITI) {
                throw new IllegalArgumentException("slerp-liti cannot be replayed: it needs the members' shared "
                        + "initialisation as a model directory, which the replay does not build");
            }
        }
        overrides = Map.copyOf(overrides);
        if (labels < 1 || !(rate > 0) || strategies.isEmpty()) {
            throw new IllegalArgumentException("need labels >= 1, rate > 0 and at least one strategy");
        }
    }

    /**
     * The presets. cpu: the demo's MiniLM settings, 3,600 labels at 6/s (10 minutes of feed, so the served model
     * is refreshed several times as labels grow), 30 minutes per run, the baseline capped at 1,000 steps; a job's
     * steps are capped at 250 instead of the demo's 200, so a member trained on every label (about 3,200 pairs)
     * sees each of them a quarter more than once (300 cost the run and its same-compute baseline 2 minutes each
     * over the 30 minutes); drift monitoring scores a fifth of the fresh labels instead of all (on two cores, scoring
     * every label twice competes with the trainer for the CPU); the quality gate reads up to 512 held-out labels, the
     * service default, instead of the demo's 128 (at 128 its verdicts near the threshold were noise both ways; the
     * bottom layers of held-out labels are cached, so the larger sample costs seconds per checkpoint).
     * tiny: a random tiny encoder, seconds; numbers mean nothing (tests). gpu: the same services with every layer
     * trained, 20,000 labels at 20/s.
     */
    public static StreamExperimentSettings preset(String name, Path outDir) {
        return switch (name) {
            case "cpu" -> new StreamExperimentSettings("cpu", TrainingProfile.cpuDemo(), 7, 0.1, 3600, 6,
                    List.of(SERVICE_DEFAULT), Duration.ofMinutes(30), Duration.ofMinutes(4), 1000, ALL_STREAMING, outDir,
                    withMerge(Map.of("warm.trainer.planner.hyperparameters.max-steps", 250,
                            "warm.scorer.drift.labels.sample", 0.2, "warm.merger.guard.max-labels", 512)));
            case "gpu" -> new StreamExperimentSettings("gpu", TrainingProfile.cpuDemo(), 7, 0.1, 20_000, 20,
                    List.of(SERVICE_DEFAULT), Duration.ofMinutes(60), Duration.ofMinutes(4), 20_000, ALL_STREAMING, outDir,
                    Map.of("warm.merger.ema-mu", 0.3, "warm.merger.window-size", 3,
                            "warm.trainer.planner.hyperparameters.trainable-layers", -1,
                            "warm.trainer.planner.hyperparameters.max-steps", 400,
                            "warm.scorer.evaluation.cached-layers", 0));
            case "tiny" -> new StreamExperimentSettings("tiny", TrainingProfile.tiny(), 7, 0.1, 400, 100,
                    List.of(SERVICE_DEFAULT), Duration.ofMinutes(4), Duration.ofSeconds(40), 24, ALL_STREAMING, outDir,
                    Map.of("warm.scorer.evaluation.max-pairs", 100, "warm.merger.ema-mu", 0.3,
                            "warm.merger.window-size", 3));
            default -> throw new IllegalArgumentException("unknown stream preset '" + name + "': cpu, gpu or tiny");
        };
    }

    /** This preset with the command's changes; null keeps the preset's value. */
    public StreamExperimentSettings with(long newLabels, Double newRate, List<String> newStrategies, Duration newLimit,
                               Integer newBaselineMaxSteps, List<String> newReplay, Map<String, Object> moreOverrides) {
        Map<String, Object> all = new LinkedHashMap<>(overrides);
        all.putAll(moreOverrides);
        if (newBaselineMaxSteps != null && newBaselineMaxSteps < 0) {
            throw new IllegalArgumentException("--baseline-steps must be >= 0 (0: no baseline), got " + newBaselineMaxSteps);
        }
        return new StreamExperimentSettings(preset, profile, seed, flipFraction, newLabels, newRate == null ? rate : newRate,
                newStrategies == null ? strategies : newStrategies, newLimit == null ? timeLimit : newLimit, quiet,
                newBaselineMaxSteps == null ? baselineMaxSteps : newBaselineMaxSteps,
                newReplay == null ? replayStrategies : newReplay, outDir, all);
    }

    /** The profile's value of a service property, as overridden here. */
    Object property(String key) {
        return overrides.containsKey(key) ? overrides.get(key) : profile.properties().get(key);
    }

    /** Pairs of each gold test set the judge reads ({@code warm.scorer.evaluation.max-pairs}, at most the files'). */
    int goldPairs(int inFiles) {
        Object v = property("warm.scorer.evaluation.max-pairs");
        return v == null ? inFiles : Math.min(inFiles, Integer.parseInt(v.toString().trim()));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("profile", profile.name());
        m.put("baseModel", profile.baseModel());
        m.put("seed", seed);
        m.put("flipFraction", flipFraction);
        m.put("labels", labels);
        m.put("rate", rate);
        m.put("strategies", strategies);
        m.put("timeLimitSeconds", timeLimit.toSeconds());
        m.put("quietSeconds", quiet.toSeconds());
        m.put("baselineMaxSteps", baselineMaxSteps);
        m.put("replayStrategies", replayStrategies);
        Map<String, Object> services = new LinkedHashMap<>(profile.properties());
        services.putAll(overrides);
        m.put("serviceProperties", services);
        return m;
    }
}
