package io.warmstream.trainer.work;

import io.warmstream.events.RewardModelCheckpoint;

/** How long a job waited between the planner creating it and a worker starting it. */
final class QueueWait {

    private QueueWait() {
    }

    /** Seconds from the job's creation to its training start; NaN when either is unknown. */
    static double seconds(RewardModelCheckpoint c) {
        if (c.getJobCreatedAt() == null || c.getTrainingStartedAt() == null) {
            return Double.NaN;
        }
        return Math.max(0, c.getTrainingStartedAt().toEpochMilli() - c.getJobCreatedAt().toEpochMilli()) / 1e3;
    }
}
