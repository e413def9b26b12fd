package io.warmstream.scorer.freshness;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Freshness, the stream's own figure of merit, measured where it ends: when this scorer starts answering with a
 * version, how old is the newest label inside it, and how long did the version take from checkpoint and from
 * publication to here. Histograms (Prometheus percentiles) and, per version, the figures for GET /v1/models.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class FreshnessTracker implements ServingListener {

    /**
     * What one version's swap measured; null fields: the event did not carry the time (e.g. a rollback).
     * {@code loadedAhead}: its candidate was loaded before its publication, so publication to served is the swap.
     */
    public record Served(Instant servedAt, Long newestLabelAgeMs, Long checkpointToServedMs, Long publishedToServedMs,
                         Long queueMs, Long trainingMs, boolean loadedAhead) {
    }

    private static final int KEEP = 64;

    private final Timer labelAge;
    private final Timer checkpointToServed;
    private final Timer publishedToServed;
    private final Map<Long, Served> byVersion = new LinkedHashMap<>();

    public FreshnessTracker(MeterRegistry registry) {
        this.labelAge = timer(registry, "warm.scorer.freshness.label.age",
                "Age of a version's newest label when this scorer started answering with it");
        this.checkpointToServed = timer(registry, "warm.scorer.freshness.checkpoint.to.served",
                "Time from a version's newest checkpoint to this scorer answering with the version");
        this.publishedToServed = timer(registry, "warm.scorer.freshness.published.to.served",
                "Time from the merger publishing a version to this scorer answering with it");
    }

    private static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).publishPercentileHistogram().description(description).register(registry);
    }

    @Override
    public void onSwap(ModelSwap swap) {
        record(swap.installed().version(), swap.at(), swap.installed().loadedAhead());
    }

    /** Measures a version that starts serving at {@code servedAt}. */
    public Served record(ModelVersion v, Instant servedAt) {
        return record(v, servedAt, false);
    }

    /** Measures a version that starts serving at {@code servedAt}, loaded ahead of its publication or not. */
    public Served record(ModelVersion v, Instant servedAt, boolean loadedAhead) {
        ModelVersion.Freshness f = v.freshness();
        Long age = since(f == null ? null : f.newestLabelAt(), servedAt, labelAge);
        Long fromCheckpoint = since(f == null ? null : f.checkpointAt(), servedAt, checkpointToServed);
        Long fromPublished = since(v.publishedAt(), servedAt, publishedToServed);
        Served s = new Served(servedAt, age, fromCheckpoint, fromPublished, f == null ? null : f.queueMs(),
                f == null ? null : f.trainingMs(), loadedAhead);
        synchronized (byVersion) {
            byVersion.put(v.version(), s);
            while (byVersion.size() > KEEP) {
                byVersion.remove(byVersion.keySet().iterator().next());
            }
        }
        return s;
    }

    public Optional<Served> of(long version) {
        synchronized (byVersion) {
            return Optional.ofNullable(byVersion.get(version));
        }
    }

    private static Long since(Instant from, Instant to, Timer timer) {
        if (from == null) {
            return null;
        }
        long ms = Math.max(0, Duration.between(from, to).toMillis());
        timer.record(Duration.ofMillis(ms));
        return ms;
    }
}
