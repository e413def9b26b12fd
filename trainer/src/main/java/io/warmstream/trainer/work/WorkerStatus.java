package io.warmstream.trainer.work;

import io.warmstream.model.train.TrainingProgress;
import io.warmstream.platform.DependencyOutages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What a worker is doing, for {@code /health} and metrics; written by the worker's threads, read by anyone. */
public final class WorkerStatus {

    /** STARTING, IDLE, TRAINING, STOPPED or FAILED (the poll loop died). */
    public enum State { STARTING, IDLE, TRAINING, STOPPED, FAILED }

    private volatile State state = State.STARTING;
    private volatile String jobId;
    private volatile String phase;
    private volatile TrainingProgress progress;
    private volatile String error;
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    private volatile int assignedPartitions;
    private volatile double lastPairsPerSecond = Double.NaN;
    private volatile double lastJobSeconds = Double.NaN;
    private final DependencyOutages outages = new DependencyOutages();

    /** The dependencies (checkpoint store) the running job is waiting for. */
    public DependencyOutages outages() {
        return outages;
    }

    public State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    void begin(String job) {
        jobId = job;
        phase = "starting";
        progress = null;
        state = State.TRAINING;
    }

    void phase(String p) {
        phase = p;
    }

    void progress(TrainingProgress p) {
        progress = p;
        steps.incrementAndGet();
        lastPairsPerSecond = p.pairsPerSecond();
    }

    void idle() {
        jobId = null;
        phase = null;
        progress = null;
        if (state == State.TRAINING) {
            state = State.IDLE;
        }
    }

    void finished(double seconds) {
        finished(seconds, Double.NaN);
    }

    /** A job finished after {@code seconds} of work, having waited {@code queueSeconds} (NaN: unknown) before it. */
    void finished(double seconds, double queueSeconds) {
        finished.incrementAndGet();
        lastJobSeconds = seconds;
        JobTimings t = timings;
        if (t != null) {
            t.finished(seconds, queueSeconds);
        }
    }

    /** Receives each finished job's work and queue times (the metrics' histograms). */
    public interface JobTimings {
        void finished(double seconds, double queueSeconds);
    }

    private volatile JobTimings timings;

    public void onFinished(JobTimings timings) {
        this.timings = timings;
    }

    void failed() {
        failed.incrementAndGet();
    }

    void deadLettered() {
        deadLettered.incrementAndGet();
    }

    void cancelled() {
        cancelled.incrementAndGet();
    }

    void skipped() {
        skipped.incrementAndGet();
    }

    void error(String e) {
        error = e;
    }

    void assignedPartitions(int n) {
        assignedPartitions = n;
    }

    /** Partitions of the jobs topic this worker owns now. */
    public int assignedPartitions() {
        return assignedPartitions;
    }

    public long finishedJobs() {
        return finished.get();
    }

    public long failedJobs() {
        return failed.get();
    }

    public long deadLetteredJobs() {
        return deadLettered.get();
    }

    public long cancelledJobs() {
        return cancelled.get();
    }

    /** Jobs committed untrained because a newer job covers their labels. */
    public long skippedJobs() {
        return skipped.get();
    }

    public long trainingSteps() {
        return steps.get();
    }

    public double lastPairsPerSecond() {
        return lastPairsPerSecond;
    }

    public double lastJobSeconds() {
        return lastJobSeconds;
    }

    public boolean busy() {
        return jobId != null;
    }

    /** A snapshot for the health endpoint. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state.name());
        String job = jobId;
        if (job != null) {
            m.put("job", job);
            m.put("phase", phase);
            TrainingProgress p = progress;
            if (p != null) {
                m.put("step", p.step());
                m.put("totalSteps", p.totalSteps());
                m.put("loss", p.loss());
                m.put("pairsPerSecond", p.pairsPerSecond());
            }
        }
        m.put("partitions", assignedPartitions);
        m.put("finished", finished.get());
        m.put("failed", failed.get());
        m.put("deadLettered", deadLettered.get());
        m.put("cancelled", cancelled.get());
        m.put("skipped", skipped.get());
        if (error != null) {
            m.put("error", error);
        }
        if (outages.anyDown()) {
            m.put("dependencies", outages.describe());
        }
        return m;
    }
}
