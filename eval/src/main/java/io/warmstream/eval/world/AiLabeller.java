package io.warmstream.eval.world;

import java.util.SplittableRandom;

/**
 * A simulated AI labeller that prefers the candidate with the higher gold reward, noisily, by a Bradley-Terry model
 * with a temperature: {@code P(a preferred to b) = sigmoid((gold(a) - gold(b)) / temperature)}. Temperature 0 means
 * it always prefers the higher gold reward.
 *
 * @param id           labeller id written into labels
 * @param temperature  noise scale in gold-reward units; 0 for a perfect labeller
 */
public record AiLabeller(String id, double temperature) {

    /** The labeller's decision on one pair. */
    public record Judgement(Candidate chosen, Candidate rejected, double confidence, boolean flipped) {
    }

    public AiLabeller {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
    }

    /** The probability that this labeller prefers a candidate with gold reward {@code goldA} to one with {@code goldB}. */
    public double probabilityPrefers(double goldA, double goldB) {
        double margin = goldA - goldB;
        if (temperature == 0) {
            return margin > 0 ? 1.0 : margin < 0 ? 0.0 : 0.5;
        }
        return 1.0 / (1.0 + Math.exp(-margin / temperature));
    }

    /**
     * Labels a pair. Unflipped, it samples its preference from the Bradley-Terry probability and reports that
     * probability for its choice as confidence. Flipped (label corruption, decided by the caller), the gold-worse
     * candidate is chosen, and the confidence is the one the labeller would have reported for the correct order, so
     * a corrupted label looks like any other.
     */
    public Judgement judge(Candidate a, Candidate b, boolean flip, SplittableRandom rng) {
        double p = probabilityPrefers(a.goldReward(), b.goldReward());
        if (flip) {
            boolean aBetter = a.goldReward() >= b.goldReward();
            return new Judgement(aBetter ? b : a, aBetter ? a : b, Math.max(p, 1 - p), true);
        }
        boolean prefersA = rng.nextDouble() < p;
        return new Judgement(prefersA ? a : b, prefersA ? b : a, prefersA ? p : 1 - p, false);
    }
}
