package io.warmstream.scorer.drift.observe;

import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftObservation;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Traffic rewards (HTTP and stream) become observations, coalesced: the rewards of one version are gathered for up to
 * {@code traffic-flush} (never longer than half the grace, so none arrives after its window closed), or until the
 * report window changes, the version changes or {@value #MAX_REWARDS} are held, and go out as one observation. One
 * observation per forward batch cost more than the forward pass's own overhead at batch 1 (an Avro record through
 * Kafka and the exactly-once topology per request). ENS batches are left out: their rewards are the members' mean,
 * not the WARM model's, and would blur the version's distribution.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class TrafficObserver implements ServingListener, AutoCloseable {

    static final int MAX_REWARDS = 1024;

    private final Consumer<DriftObservation> publisher;
    private final long windowMillis;
    private final long flushNanos;
    private final ScheduledExecutorService timer;
    private Pending pending; // guarded by this

    /** Rewards of one version in one report window, not sent yet. */
    private static final class Pending {
        final ModelVersion version;
        final long window;
        final long startedNanos = System.nanoTime();
        final List<Double> rewards = new ArrayList<>();
        Instant last;

        Pending(ModelVersion version, long window) {
            this.version = version;
            this.window = window;
        }
    }

    public TrafficObserver(ObservationPublisher publisher, DriftConfig drift) {
        this(publisher::publish, drift.window(), drift.trafficFlush(), drift.grace());
    }

    TrafficObserver(Consumer<DriftObservation> publisher, Duration reportWindow, Duration flush, Duration grace) {
        this.publisher = publisher;
        this.windowMillis = reportWindow.toMillis();
        Duration halfGrace = grace.dividedBy(2);
        this.flushNanos = (flush.compareTo(halfGrace) < 0 ? flush : halfGrace).toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warm-scorer-drift-traffic");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), flushNanos / 2);
        timer.scheduleWithFixedDelay(this::flushIfDue, period, period, TimeUnit.NANOSECONDS);
    }

    @Override
    public void onBatchScored(ScoredBatch batch) {
        if (batch.mode() != ScoreMode.WARM || batch.size() == 0) {
            return;
        }
        long window = batch.scoredAt().toEpochMilli() / windowMillis;
        DriftObservation before;
        DriftObservation full = null;
        synchronized (this) {
            before = pending != null && (!sameVersion(pending.version, batch.version()) || pending.window != window)
                    ? take() : null;
            if (pending == null) {
                pending = new Pending(batch.version(), window);
            }
            for (float r : batch.rewards()) {
                pending.rewards.add((double) r);
            }
            pending.last = batch.scoredAt();
            if (pending.rewards.size() >= MAX_REWARDS || flushNanos == 0) {
                full = take();
            }
        }
        // Sent outside the lock: a producer may block while the cluster is unreachable.
        send(before);
        send(full);
    }

    private static boolean sameVersion(ModelVersion a, ModelVersion b) {
        return a.version() == b.version() && a.average().equals(b.average());
    }

    private void flushIfDue() {
        DriftObservation due;
        synchronized (this) {
            due = pending != null && System.nanoTime() - pending.startedNanos >= flushNanos ? take() : null;
        }
        send(due);
    }

    private DriftObservation take() {
        Pending p = pending;
        pending = null;
        return DriftObservation.newBuilder()
                .setAverage(p.version.average())
                .setModelVersion(p.version.version())
                .setObservedAt(p.last)
                .setRewards(p.rewards)
                .setReferenceRewards(List.of())
                .build();
    }

    private void send(DriftObservation o) {
        if (o != null) {
            publisher.accept(o);
        }
    }

    /** Sends what is held; runs before the publisher closes (Micronaut destroys dependents first). */
    @PreDestroy
    @Override
    public void close() {
        timer.shutdownNow();
        DriftObservation rest;
        synchronized (this) {
            rest = pending == null ? null : take();
        }
        send(rest);
    }
}
