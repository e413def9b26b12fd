package io.warmstream.merger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.warmstream.merger.fold.ReasonCode;
import io.warmstream.merger.fold.StageTimes;
import io.warmstream.merger.kafka.MergerListener;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.platform.DependencyOutages;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the merger exports on {@code /prometheus}: versions published, checkpoints rejected by reason, faults,
 * checkpoint-to-publish latency, fold seconds, and gauges of the current version, members and held-out accuracy;
 * for the quality gate, versions withheld and the served version with its held-out accuracy and standard error
 * (tagged with the average, so dashboards over several mergers tell them apart).
 */
@Singleton
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class MergerMetrics implements MergerListener {

    private final Counter published;
    private final Counter faults;
    private final Map<ReasonCode, Counter> rejected = new EnumMap<>(ReasonCode.class);
    private final Timer latency;
    private final DistributionSummary foldSeconds;
    private final Map<String, Timer> stages = new java.util.LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong members = new AtomicLong();
    private final AtomicLong accuracyMicros = new AtomicLong(-1);
    private final Counter withheld;
    private final AtomicLong servedVersion = new AtomicLong();
    private final AtomicLong servedAccuracyMicros = new AtomicLong(-1);
    private final AtomicLong servedStandardErrorMicros = new AtomicLong(-1);
    private final Counter scoredFromCache;
    private final Counter scoredWhole;

    private final MeterRegistry meters;
    private final String average;

    public MergerMetrics(MeterRegistry registry, MergerConfig config) {
        this.meters = registry;
        this.average = config.average();
        String average = this.average;
        published = Counter.builder("warm.merger.versions.published").description("Versions published (rollbacks included)").register(registry);
        faults = Counter.builder("warm.merger.faults").description("Retries after faults on the merger's side").register(registry);
        for (ReasonCode r : ReasonCode.values()) {
            rejected.put(r, Counter.builder("warm.merger.checkpoints.rejected").tag("reason", r.name())
                    .description("Checkpoints not folded in, by reason").register(registry));
        }
        latency = Timer.builder("warm.merger.checkpoint.to.publish").description("From the checkpoint record to its version's commit")
                .publishPercentiles(0.5, 0.95).register(registry);
        foldSeconds = DistributionSummary.builder("warm.merger.fold.seconds").description("Seconds per fold").register(registry);
        for (String stage : StageTimes.NONE.byStage().keySet()) {
            stages.put(stage, Timer.builder("warm.merger.stage").tag("stage", stage).tag("average", average)
                    .description("Time per folded checkpoint in each stage: vet, fold, checks (LMC guard and quality "
                            + "gate on held-out labels), write (the version to the store)")
                    .publishPercentiles(0.5, 0.95).register(registry));
        }
        Gauge.builder("warm.merger.version", version, AtomicLong::get).description("Current version").register(registry);
        Gauge.builder("warm.merger.members", members, AtomicLong::get).description("Members of the current version").register(registry);
        Gauge.builder("warm.merger.holdout.accuracy", accuracyMicros, a -> a.get() < 0 ? Double.NaN : a.get() / 1e6)
                .description("Held-out accuracy of the current version (NaN when the guard was skipped)").register(registry);
        withheld = Counter.builder("warm.merger.versions.withheld").tag("average", average)
                .description("Versions the quality gate withheld from serving").register(registry);
        Gauge.builder("warm.merger.served.version", servedVersion, AtomicLong::get).tag("average", average)
                .description("The version scorers serve (the newest unless the quality gate withheld it)").register(registry);
        Gauge.builder("warm.merger.served.holdout.accuracy", servedAccuracyMicros, MergerMetrics::micros)
                .tag("average", average).description("Held-out accuracy of the served version, as measured when "
                        + "it was published (NaN when not measured)").register(registry);
        Gauge.builder("warm.merger.served.holdout.accuracy.standard.error", servedStandardErrorMicros,
                        MergerMetrics::micros).tag("average", average)
                .description("Standard error of that accuracy, sqrt(p(1-p)/n)").register(registry);
        scoredFromCache = heldOutScoring(registry, average, "cached");
        scoredWhole = heldOutScoring(registry, average, "whole");
    }

    private static Counter heldOutScoring(MeterRegistry registry, String average, String path) {
        return Counter.builder("warm.merger.heldout.models.scored").tag("average", average).tag("path", path)
                .description("Models scored on held-out labels by the guard and gate: from cached bottom-layer "
                        + "features, or whole (feature cache off, or the model's bottom differs)").register(registry);
    }

    /** A model was scored on held-out labels, from cached bottom-layer features or with its whole network. */
    public void heldOutScored(boolean fromCache) {
        (fromCache ? scoredFromCache : scoredWhole).increment();
    }

    @Override
    public void published(AverageState state, long latencyMillis, StageTimes times) {
        published.increment();
        if (!state.served()) {
            withheld.increment();
        }
        latency.record(Duration.ofMillis(latencyMillis));
        if (times != StageTimes.NONE) {
            foldSeconds.record(times.foldSeconds());
            times.byStage().forEach((stage, seconds) -> stages.get(stage).record(Duration.ofNanos((long) (seconds * 1e9))));
        }
        current(state);
    }

    @Override
    public void current(AverageState state) {
        version.set(state.version());
        members.set(state.members().size());
        accuracyMicros.set(toMicros(state.validationAccuracy()));
        KeptEntry served = state.servedEntry();
        servedVersion.set(state.servedVersion());
        servedAccuracyMicros.set(served == null ? -1 : toMicros(served.validationAccuracy()));
        servedStandardErrorMicros.set(served == null ? -1 : toMicros(served.quality().accuracyStandardError()));
    }

    /** Gauges read longs; -1 stands for "not measured". */
    private static long toMicros(Double d) {
        return d == null || !Double.isFinite(d) ? -1 : Math.round(d * 1e6);
    }

    private static double micros(AtomicLong a) {
        return a.get() < 0 ? Double.NaN : a.get() / 1e6;
    }

    @Override
    public void rejected(ReasonCode code) {
        rejected.get(code).increment();
    }

    @Override
    public void fault(String message) {
        faults.increment();
    }

    /** {@code warm.merger.dependency.up} (1 up, 0 down) and {@code warm.merger.dependency.retries}, per dependency. */
    @Override
    public void watch(DependencyOutages outages) {
        for (DependencyOutages.Dependency d : DependencyOutages.Dependency.values()) {
            Gauge.builder("warm.merger.dependency.up", outages, o -> o.isDown(d) ? 0 : 1).tag("average", average)
                    .tag("dependency", d.label()).description("Whether the merger reaches the dependency (0 while it "
                            + "waits out an outage)").register(meters);
            FunctionCounter.builder("warm.merger.dependency.retries", outages, o -> o.retries(d)).tag("average", average)
                    .tag("dependency", d.label()).description("Retries because the dependency was unreachable")
                    .register(meters);
        }
    }
}
