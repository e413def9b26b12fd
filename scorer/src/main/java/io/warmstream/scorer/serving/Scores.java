package io.warmstream.scorer.serving;

/**
 * Rewards for a list of items from one version.
 *
 * @param std the members' spread per item in ENS mode, null in WARM mode
 * @param members ensemble size in ENS mode, 0 in WARM mode
 */
public record Scores(String average, long version, ScoreMode mode, float[] rewards, float[] std, int members) {
}
