package io.warmstream.scorer.serving;

import java.time.Instant;
import java.util.List;

/**
 * One forward batch of traffic: the items of possibly several requests, the version that scored them and the result.
 *
 * @param origins where each item came from (HTTP or the score-request stream)
 * @param std     the members' spread per item in ENS mode, null in WARM mode
 * @param forwardNanos time the model spent on the batch (tokenization included)
 */
public record ScoredBatch(ModelVersion version, ScoreMode mode, List<Origin> origins, List<String> prompts,
                          List<String> responses, float[] rewards, float[] std, Instant scoredAt, long forwardNanos) {

    public int size() {
        return rewards.length;
    }
}
