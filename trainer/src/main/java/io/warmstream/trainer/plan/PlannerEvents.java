package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;

/**
 * Told about each job the planner emits and about the capacity it plans against, on the stream thread (keep it
 * cheap). Under exactly-once a job of an aborted transaction may be reported and planned again, so use it for
 * metrics and logs, not for bookkeeping.
 */
@FunctionalInterface
public interface PlannerEvents {

    PlannerEvents NONE = (job, trigger) -> { };

    /**
     * {@code trigger} is "count" or "time", or "deferred" for the job that takes segments closed by triggers that
     * fired while the planner was at capacity (NEWEST_WINDOW), once capacity frees.
     */
    void planned(TrainingJob job, String trigger);

    /** Jobs planned and not ended, and workers heard from within the TTL, as the planner sees them now. */
    default void capacity(String average, int pendingJobs, int liveWorkers) {
    }

    /** A job was due but the planner is at capacity: the labels wait. Told once each time it reaches capacity. */
    default void deferred(String average, String trigger) {
    }

    /** {@code labels} slid out of the newest window in no job (NEWEST_WINDOW); the next job records them. */
    default void leftOut(String average, long labels) {
    }
}
