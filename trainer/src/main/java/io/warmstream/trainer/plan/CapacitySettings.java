package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingRunEvent;
import org.apache.kafka.common.serialization.Serde;

import java.time.Duration;
import java.util.Objects;

/**
 * How far the planner may run ahead of the trainers. It reads the workers' run events to know which of its jobs
 * ended and which workers are live, and while {@code maxPendingPerWorker} x live workers of its jobs are still
 * pending it plans no more: the labels wait, and the next job covers them.
 *
 * @param runsTopic the run events topic ({@code warm.training-runs}) the workers publish on
 * @param runEventSerde value serde of that topic
 * @param maxPendingPerWorker jobs planned and not ended (queued or training) allowed per live worker; 0: no limit
 * @param minWorkers live workers assumed at least: an idle worker publishes nothing, and the planner must be able to
 *        start work before it has heard of any worker
 * @param workerTtl a worker counts as live while its newest run event is at most this old (by its clock, not later
 *        than the planner's); PROGRESS events come every few steps, so a few minutes is safe
 * @param jobTimeout a pending job with no sign of life (planned, or a run event of its own) for this long stops
 *        counting as pending, so a job whose end is never seen cannot hold capacity for ever
 */
public record CapacitySettings(String runsTopic, Serde<TrainingRunEvent> runEventSerde, int maxPendingPerWorker,
                               int minWorkers, Duration workerTtl, Duration jobTimeout) {

    public CapacitySettings {
        Objects.requireNonNull(runsTopic, "runsTopic");
        Objects.requireNonNull(runEventSerde, "runEventSerde");
        if (maxPendingPerWorker < 0) {
            throw new IllegalArgumentException("max pending jobs per worker must be >= 0 (0: no limit), got "
                    + maxPendingPerWorker);
        }
        if (minWorkers < 1) {
            throw new IllegalArgumentException("min workers must be >= 1, got " + minWorkers);
        }
        requirePositive(workerTtl, "worker TTL");
        requirePositive(jobTimeout, "job timeout");
    }

    /** Whether pending jobs are limited at all. */
    public boolean limited() {
        return maxPendingPerWorker > 0;
    }

    /** Pending jobs allowed with {@code liveWorkers} heard from (at least {@code minWorkers} are assumed). */
    public int limit(int liveWorkers) {
        if (!limited()) {
            return Integer.MAX_VALUE;
        }
        long limit = (long) maxPendingPerWorker * Math.max(minWorkers, liveWorkers);
        return (int) Math.min(Integer.MAX_VALUE, limit);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be > 0, got " + d);
        }
    }
}
