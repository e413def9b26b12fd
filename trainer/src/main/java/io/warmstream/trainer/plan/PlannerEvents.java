package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;

/**
 * Told about each job the planner emits, on the stream thread (keep it cheap). Under exactly-once a job of an
 * aborted transaction may be reported and planned again, so use it for metrics and logs, not for bookkeeping.
 */
@FunctionalInterface
public interface PlannerEvents {

    PlannerEvents NONE = (job, trigger) -> { };

    /** {@code trigger} is "count" or "time". */
    void planned(TrainingJob job, String trigger);
}
