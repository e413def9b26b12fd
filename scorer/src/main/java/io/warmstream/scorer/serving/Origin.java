package io.warmstream.scorer.serving;

/** Where a scored item came from. */
public enum Origin {
    /** {@code POST /v1/rewards} or {@code /v1/compare}. */
    HTTP,
    /** A {@code ScoreRequest} on the score-requests topic. */
    STREAM
}
