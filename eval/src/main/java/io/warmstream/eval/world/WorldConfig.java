package io.warmstream.eval.world;

/**
 * Everything that shapes a preference world. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods; the same config always yields the same world.
 *
 * @param seed               master seed
 * @param flipFraction       share of TRAIN labels deliberately flipped (chosen = gold-worse), in [0, 1]
 * @param temperature        labeller noise, see {@link AiLabeller}; 0 = always prefers the higher gold reward
 * @param oodShift           how far the OOD split's candidate policy is shifted, in [0, 1]; see {@link CandidatePolicy}
 * @param minFacts           fewest facts in a post (at least 1)
 * @param maxFacts           most facts in a post (at most 6, the slots per topic)
 * @param contextSentences   up to this many fact-free sentences (0, 1 or 2) frame a post
 * @param labelsPerTask      consecutive labels sharing one task (post)
 * @param minGoldMargin      the two candidates of a labelled pair differ in gold reward by at least this
 * @param labellerId         written into each label's {@code labeller}
 * @param source             written into each label's {@code source}
 * @param startEpochMillis   {@code createdAt} of label 0
 * @param intervalMillis     {@code createdAt} step between consecutive labels
 * @param gold               the gold reward's weights
 */
public record WorldConfig(long seed, double flipFraction, double temperature, double oodShift, int minFacts,
                          int maxFacts, int contextSentences, int labelsPerTask, double minGoldMargin,
                          String labellerId, String source, long startEpochMillis, long intervalMillis,
                          GoldReward gold) {

    /** Slots per topic in the shipped catalog: the most facts a post can state. */
    public static final int MAX_FACTS = 6;

    public WorldConfig {
        check(flipFraction >= 0 && flipFraction <= 1, "flipFraction must be in [0, 1]");
        check(temperature >= 0 && !Double.isInfinite(temperature), "temperature must be finite and >= 0");
        check(oodShift >= 0 && oodShift <= 1, "oodShift must be in [0, 1]");
        check(minFacts >= 1 && minFacts <= maxFacts && maxFacts <= MAX_FACTS, "need 1 <= minFacts <= maxFacts <= 6");
        check(contextSentences >= 0 && contextSentences <= 2, "contextSentences must be 0, 1 or 2");
        check(labelsPerTask >= 1, "labelsPerTask must be >= 1");
        check(minGoldMargin >= 0, "minGoldMargin must be >= 0");
        check(labellerId != null && !labellerId.isBlank(), "labellerId must not be blank");
        check(source != null && !source.isBlank(), "source must not be blank");
        check(intervalMillis >= 0, "intervalMillis must be >= 0");
        check(gold != null, "gold must not be null");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Seed 42, no flips, labeller temperature 0.15, full OOD shift, 4 to 6 facts per post, up to 2 context sentences,
     * one label per task, pairs at least 0.02 apart in gold reward, labels one second apart from 2024-01-01T00:00Z.
     */
    public static WorldConfig defaults() {
        return new WorldConfig(42L, 0.0, 0.15, 1.0, 4, 6, 2, 1, 0.02, "sim-ai-labeller", "preference-world",
                1_704_067_200_000L, 1_000L, GoldReward.DEFAULT);
    }

    public WorldConfig withSeed(long value) {
        return new WorldConfig(value, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withFlipFraction(double value) {
        return new WorldConfig(seed, value, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withTemperature(double value) {
        return new WorldConfig(seed, flipFraction, value, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    /** The distribution-shift knob of the OOD split. */
    public WorldConfig withShift(double value) {
        return new WorldConfig(seed, flipFraction, temperature, value, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withFacts(int min, int max) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, min, max, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withContextSentences(int value) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, value,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withLabelsPerTask(int value) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                value, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withMinGoldMargin(double value) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, value, labellerId, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withLabeller(String id) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, id, source, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withSource(String value) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, value, startEpochMillis, intervalMillis, gold);
    }

    public WorldConfig withClock(long startMillis, long stepMillis) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startMillis, stepMillis, gold);
    }

    public WorldConfig withGold(GoldReward value) {
        return new WorldConfig(seed, flipFraction, temperature, oodShift, minFacts, maxFacts, contextSentences,
                labelsPerTask, minGoldMargin, labellerId, source, startEpochMillis, intervalMillis, value);
    }
}
