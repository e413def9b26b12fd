package io.warmstream.merger.state;

/**
 * A version's reward scale: mean and population standard deviation of its rewards on the fixed reference set, over
 * {@code items} (prompt, response) items; {@code reference} names the set (file name and SHA-256 prefix).
 */
public record RewardScaleFigures(double mean, double std, int items, String reference) {
}
