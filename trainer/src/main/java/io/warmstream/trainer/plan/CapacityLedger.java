package io.warmstream.trainer.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The planner's view of trainer capacity, kept inside {@link PlannerState} so it is changelogged and committed with
 * the jobs it gates: the jobs this planner emitted that have not ended, and when each worker was last heard of.
 *
 * <p>Times are milliseconds. A run event carries the worker's clock; it is taken no later than the planner's own
 * clock, so a worker whose clock runs ahead cannot stay live for longer than the TTL after the planner heard it.
 */
public final class CapacityLedger {

    /** Job id -> its newest sign of life: when it was planned, then the time of its newest run event. */
    final Map<String, Long> pendingJobs = new LinkedHashMap<>();
    /** Worker id -> time of its newest run event. */
    final Map<String, Long> workers = new TreeMap<>();

    /** Jobs planned and not ended (queued or training). */
    public int pendingJobs() {
        return pendingJobs.size();
    }

    public boolean isPending(String jobId) {
        return pendingJobs.containsKey(jobId);
    }

    /** A job was just planned: it is pending until a run event ends it (or it times out). */
    public void planned(String jobId, long now) {
        pendingJobs.put(jobId, now);
    }

    /**
     * Takes in a run event seen at planner time {@code now}: its worker is live, and the job, if it is one of ours,
     * either ended (FINISHED, FAILED, SKIPPED) or showed life. Events of jobs this planner does not know (another
     * planner's, hand-made ones, or ended already) only count for the worker. True if a pending job ended.
     */
    public boolean record(RunSignal signal, long now) {
        long time = Math.min(signal.time(), now);
        workers.merge(signal.worker(), time, Math::max);
        Long last = pendingJobs.get(signal.jobId());
        if (last == null) {
            return false;
        }
        if (signal.endsJob()) {
            pendingJobs.remove(signal.jobId());
            return true;
        }
        pendingJobs.put(signal.jobId(), Math.max(last, time));
        return false;
    }

    /** Workers whose newest run event is at most {@code ttl} old at {@code now}. */
    public int liveWorkers(long now, Duration ttl) {
        long oldest = now - ttl.toMillis();
        return (int) workers.values().stream().filter(t -> t >= oldest).count();
    }

    /** What {@link #expire} forgot: pending jobs that timed out and workers no longer live. */
    public record Expired(List<String> jobs, int workers) {
        public boolean any() {
            return !jobs.isEmpty() || workers > 0;
        }
    }

    /**
     * Forgets workers not heard of within {@code workerTtl} (they are not live; this keeps the state small) and
     * drops pending jobs without a sign of life for {@code jobTimeout}.
     */
    public Expired expire(long now, Duration jobTimeout, Duration workerTtl) {
        long oldestWorker = now - workerTtl.toMillis();
        int before = workers.size();
        workers.values().removeIf(t -> t < oldestWorker);
        long oldestJob = now - jobTimeout.toMillis();
        List<String> dropped = new ArrayList<>();
        pendingJobs.forEach((id, t) -> {
            if (t < oldestJob) {
                dropped.add(id);
            }
        });
        dropped.forEach(pendingJobs::remove);
        return new Expired(List.copyOf(dropped), before - workers.size());
    }
}
