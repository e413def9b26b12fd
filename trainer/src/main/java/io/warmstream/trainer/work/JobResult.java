package io.warmstream.trainer.work;

import io.warmstream.events.RewardModelCheckpoint;

/** How one run of a job ended. */
public sealed interface JobResult {

    /** Trained, evaluated and stored; the checkpoint event is ready to publish. */
    record Finished(RewardModelCheckpoint checkpoint, int steps, double finalLoss) implements JobResult {
    }

    /** The job cannot succeed (data gone, base does not load, training diverged...): reported and not retried. */
    record Failed(String reason, long durationMs) implements JobResult {
    }

    /** Could not run now (the schema registry is unreachable): the same worker runs it again after a pause. */
    record Retry(String reason) implements JobResult {
    }

    /** Stopped because the worker lost the job's partition or is closing: another run will redo it. */
    record Cancelled(String why) implements JobResult {
    }
}
