package io.warmstream.model.merge;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an {@link AverageFolder} folds each new model into the average; picked by config name. */
public enum MergeStrategy {
    /** WARM: uniform running mean, the k-th model weighted 1/k. */
    UNIFORM("uniform"),
    /** Weighted mean, each model weighted by a positive score such as its held-out accuracy. */
    ACCURACY_WEIGHTED("accuracy-weighted"),
    /**
     * Weighted mean, each model weighted by the number of labels it was trained on: in a stream, later members saw
     * more labels, so they count for more without the earliest ever being dropped.
     */
    DATA_SIZE_WEIGHTED("data-size-weighted"),
    /** WARP's exponential moving average with factor mu. */
    EMA("ema"),
    /**
     * Mean of the newest K members. A mean cannot forget a member without it, so each fold recomputes the mean from
     * the K member files (streaming per tensor over K readers); the merger must keep those files.
     */
    SLIDING_WINDOW("sliding-window"),
    /** WARP: iterative SLERP of task vectors (the k-th model with l = 1/k), then LITI toward the init with eta. */
    SLERP_LITI("slerp-liti");

    private final String configName;

    MergeStrategy(String configName) {
        this.configName = configName;
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
