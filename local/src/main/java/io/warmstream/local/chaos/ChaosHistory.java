package io.warmstream.local.chaos;

import java.util.List;
import java.util.Map;

/**
 * What a chaos run left behind and what its clients saw: the input of {@link InvariantChecker}. Plain values, so a
 * test can hand-make one.
 *
 * @param acceptedLabelIds  label ids ingest answered 202 for
 * @param preferenceKeys    every key on warm.preferences (read_committed), duplicates kept
 * @param jobIds            every job on warm.training-jobs
 * @param jobEndings        job id to its endings: "checkpoint", "FAILED", "SKIPPED", "dlq", one entry per record
 * @param checkpointJobIds  job id of every record on warm.checkpoints, duplicates kept
 * @param rejections        every record on warm.checkpoints.rejected
 * @param versions          every version on warm.models, in offset order
 * @param scoringFailures   requests that failed after their one retry
 * @param scorerDown        scorer name to the windows it was down (kill to healthy again plus the grace)
 * @param orphans           leftover temporary files and directories in the store and work directories
 */
public record ChaosHistory(List<String> acceptedLabelIds, List<String> preferenceKeys, List<String> jobIds,
                           Map<String, List<String>> jobEndings, List<String> checkpointJobIds, List<Rejection> rejections,
                           List<Version> versions, List<ScoringFailure> scoringFailures,
                           Map<String, List<Window>> scorerDown, List<String> orphans) {

    public record Rejection(String jobId, String reasonCode, String detail) {
    }

    /** One published version; {@code members} job ids in the version's order. */
    public record Version(String key, long version, List<String> members, Long rollbackOf) {
    }

    public record ScoringFailure(long at, String scorer, String error) {
    }

    /** {@code [from, to]} in epoch milliseconds. */
    public record Window(long from, long to) {
        boolean contains(long t) {
            return t >= from && t <= to;
        }
    }
}
