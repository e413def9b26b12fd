package io.warmstream.trainer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.TrainingJob;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.platform.KafkaClientMeters;
import io.warmstream.trainer.plan.PlannerEvents;
import io.warmstream.trainer.work.WorkerStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trainer's meters on {@code /prometheus}: jobs planned (by trigger), the planner's view of capacity (jobs
 * pending, live workers, deferrals, labels left out of every window), jobs ended by the worker (by outcome),
 * training steps, whether the worker is busy, its last throughput and job duration; Kafka Streams metrics of the
 * planner.
 */
@Singleton
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TrainerMetrics implements PlannerEvents {

    private final MeterRegistry registry;
    private final Counter plannedByCount;
    private final Counter plannedByTime;
    private final Counter plannedDeferred;
    private final Counter deferrals;
    private final Counter leftOut;
    private final AtomicInteger pendingJobs = new AtomicInteger();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final KafkaClientMeters clientMeters;

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.clientMeters = new KafkaClientMeters(registry);
        this.plannedByCount = Counter.builder("warm.trainer.jobs.planned").tag("trigger", "count")
                .description("Training jobs the planner emitted").register(registry);
        this.plannedByTime = Counter.builder("warm.trainer.jobs.planned").tag("trigger", "time")
                .description("Training jobs the planner emitted").register(registry);
        this.plannedDeferred = Counter.builder("warm.trainer.jobs.planned").tag("trigger", "deferred")
                .description("Training jobs the planner emitted").register(registry);
        this.deferrals = Counter.builder("warm.trainer.planner.deferrals")
                .description("Times the planner reached trainer capacity with a job due (the labels waited)")
                .register(registry);
        this.leftOut = Counter.builder("warm.trainer.planner.labels.left.out")
                .description("NEWEST_WINDOW labels that slid out of the window in no job (recorded in the next job)")
                .register(registry);
        Gauge.builder("warm.trainer.planner.pending.jobs", pendingJobs, AtomicInteger::get)
                .description("Jobs the planner emitted that have not ended (queued or training)").register(registry);
        Gauge.builder("warm.trainer.planner.live.workers", liveWorkers, AtomicInteger::get)
                .description("Workers with a run event within the worker TTL").register(registry);
    }

    @Override
    public void planned(TrainingJob job, String trigger) {
        switch (trigger) {
            case "time" -> plannedByTime.increment();
            case "deferred" -> plannedDeferred.increment();
            default -> plannedByCount.increment();
        }
    }

    @Override
    public void capacity(String average, int pending, int live) {
        pendingJobs.set(pending);
        liveWorkers.set(live);
    }

    @Override
    public void deferred(String average, String trigger) {
        deferrals.increment();
    }

    @Override
    public void leftOut(String average, long labels) {
        leftOut.increment(labels);
    }

    public void bindWorker(WorkerStatus status) {
        outcome(status, "finished", WorkerStatus::finishedJobs);
        outcome(status, "failed", WorkerStatus::failedJobs);
        outcome(status, "dead_lettered", WorkerStatus::deadLetteredJobs);
        outcome(status, "cancelled", WorkerStatus::cancelledJobs);
        outcome(status, "skipped", WorkerStatus::skippedJobs);
        for (DependencyOutages.Dependency d : DependencyOutages.Dependency.values()) {
            Gauge.builder("warm.trainer.dependency.up", status, s -> s.outages().isDown(d) ? 0 : 1)
                    .tag("dependency", d.label()).description("Whether the worker reaches the dependency (0 while a "
                            + "trained model waits for the store)").register(registry);
            FunctionCounter.builder("warm.trainer.dependency.retries", status, s -> s.outages().retries(d))
                    .tag("dependency", d.label()).description("Retries because the dependency was unreachable")
                    .register(registry);
        }
        FunctionCounter.builder("warm.trainer.steps", status, WorkerStatus::trainingSteps)
                .description("Optimizer steps trained").register(registry);
        Gauge.builder("warm.trainer.busy", status, s -> s.busy() ? 1 : 0)
                .description("1 while the worker runs a job").register(registry);
        Gauge.builder("warm.trainer.pairs.per.second", status, WorkerStatus::lastPairsPerSecond)
                .description("Training throughput of the latest step").register(registry);
        Gauge.builder("warm.trainer.job.seconds", status, WorkerStatus::lastJobSeconds)
                .description("Duration of the latest finished job").register(registry);
        // Freshness: the two parts of a label's wait the trainer adds, as histograms (percentiles in Prometheus).
        Timer work = Timer.builder("warm.trainer.job.duration").publishPercentileHistogram()
                .description("Time from a worker starting a job to its checkpoint").register(registry);
        Timer queue = Timer.builder("warm.trainer.job.queue.wait").publishPercentileHistogram()
                .description("Time a job waited between the planner creating it and a worker starting it").register(registry);
        status.onFinished((seconds, queueSeconds) -> {
            work.record(java.time.Duration.ofMillis((long) (seconds * 1000)));
            if (Double.isFinite(queueSeconds)) {
                queue.record(java.time.Duration.ofMillis((long) (queueSeconds * 1000)));
            }
        });
    }

    private void outcome(WorkerStatus status, String outcome, java.util.function.ToDoubleFunction<WorkerStatus> f) {
        FunctionCounter.builder("warm.trainer.jobs", status, f).tag("outcome", outcome)
                .description("Jobs the worker ended, by outcome").register(registry);
    }

    public void bindStreams(KafkaStreams streams) {
        clientMeters.bindStreams(streams);
    }

    @PreDestroy
    public void close() throws Exception {
        clientMeters.close();
    }
}
