package io.warmstream.scorer.serving;

/**
 * How a version's rewards are scaled: their mean and standard deviation on a fixed reference set, measured by the
 * merger when it published the version. {@code (raw - mean) / std} puts the rewards of every version on one scale.
 *
 * @param items     rewards the figures were computed from
 * @param reference name of the reference set (its file name and SHA-256 prefix), so figures of different sets are
 *                  never mixed up
 */
public record RewardScale(double mean, double std, int items, String reference) {

    /** The reward on this scale. */
    public double normalize(double raw) {
        return (raw - mean) / std;
    }
}
