package io.warmstream.model.merge;

import java.nio.file.Path;

/**
 * Configuration of an {@link AverageFolder}.
 *
 * @param emaMu         EMA factor mu in (0,1] (WARP uses about 0.01)
 * @param litiEta       LITI factor eta in (0,1] (WARP uses about 0.3); 1 means no pull toward the init
 * @param windowSize    K for the sliding window
 * @param initModel     model directory of the shared initialisation; SLERP_LITI needs it for task vectors
 * @param memberLocator where member directories are; SLIDING_WINDOW needs it
 */
public record MergeSettings(MergeStrategy strategy, double emaMu, double litiEta, int windowSize, Path initModel,
                            MemberLocator memberLocator) {

    public static final double DEFAULT_EMA_MU = 0.01;
    public static final double DEFAULT_LITI_ETA = 0.3;
    public static final int DEFAULT_WINDOW_SIZE = 5;

    public MergeSettings {
        if (strategy == null) {
            throw new IllegalArgumentException("merge strategy must be set");
        }
        if (!(emaMu > 0 && emaMu <= 1)) {
            throw new IllegalArgumentException("EMA mu must be in (0,1], got " + emaMu);
        }
        if (!(litiEta > 0 && litiEta <= 1)) {
            throw new IllegalArgumentException("LITI eta must be in (0,1], got " + litiEta);
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("window size must be >= 1, got " + windowSize);
        }
    }

    public static MergeSettings of(MergeStrategy strategy) {
        return new MergeSettings(strategy, DEFAULT_EMA_MU, DEFAULT_LITI_ETA, DEFAULT_WINDOW_SIZE, null, null);
    }

    public MergeSettings withEmaMu(double mu) {
        return new MergeSettings(strategy, mu, litiEta, windowSize, initModel, memberLocator);
    }

    public MergeSettings withLitiEta(double eta) {
        return new MergeSettings(strategy, emaMu, eta, windowSize, initModel, memberLocator);
    }

    public MergeSettings withWindowSize(int k) {
        return new MergeSettings(strategy, emaMu, litiEta, k, initModel, memberLocator);
    }

    public MergeSettings withInitModel(Path dir) {
        return new MergeSettings(strategy, emaMu, litiEta, windowSize, dir, memberLocator);
    }

    public MergeSettings withMemberLocator(MemberLocator locator) {
        return new MergeSettings(strategy, emaMu, litiEta, windowSize, initModel, locator);
    }
}
