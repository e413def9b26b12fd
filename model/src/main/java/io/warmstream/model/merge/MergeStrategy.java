package io.warmstream.model.merge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an {@link AverageFolder} folds each new model into the average ({@link #method()}); picked by config name. */
public enum MergeStrategy {
    /** WARM: uniform running mean, the k-th model weighted 1/k. */
    UNIFORM("uniform", new UniformMerge()),
    /** Weighted mean, each model weighted by a positive score such as its held-out accuracy. */
    ACCURACY_WEIGHTED("accuracy-weighted", new WeightedMerge.ByAccuracy()),
    /**
     * Weighted mean, each model weighted by the number of labels it was trained on: in a stream, later members saw
     * more labels, so they count for more without the earliest ever being dropped.
     */
    DATA_SIZE_WEIGHTED("data-size-weighted", new WeightedMerge.ByDataSize()),
    /** WARP's exponential moving average with factor mu. */
    EMA("ema", new EmaMerge()),
    /**
     * Mean of the newest K members. A mean cannot forget a member without it, so each fold recomputes the mean from
     * the K member files (streaming per tensor over K readers); the merger must keep those files.
     */
    SLIDING_WINDOW("sliding-window", new SlidingWindowMerge()),
    /** WARP: iterative SLERP of task vectors (the k-th model with l = 1/k), then LITI toward the init with eta. */
    SLERP_LITI("slerp-liti", new SlerpLitiMerge());

    private final String configName;
    private final MergeMethod method;

    MergeStrategy(String configName, MergeMethod method) {
        this.configName = configName;
        this.method = method;
    }

    /** The method that plans this strategy's folds and owns its checks. */
    public MergeMethod method() {
        return method;
    }

    public String configName() {
        return configName;
    }

    /** Accepts the config name or the constant name, in any case ("ema", "SLERP_LITI", "sliding_window"). */
    public static MergeStrategy fromConfig(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (MergeStrategy s : values()) {
            if (s.configName.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown merge strategy '" + name + "'; one of "
                + Arrays.stream(values()).map(MergeStrategy::configName).collect(Collectors.joining(", ")));
    }
}
