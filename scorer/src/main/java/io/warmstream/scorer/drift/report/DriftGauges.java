package io.warmstream.scorer.drift.report;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftReport;
import io.warmstream.scorer.ScorerConfig;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Drift figures on {@code /prometheus}: the newest report's figures per average and version as gauges (NaN while a
 * figure is absent, e.g. no reference yet for PSI). The observers' counters are in {@code ObservationMetrics}.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class DriftGauges {

    private final MeterRegistry registry;
    private final Map<String, DriftReport> latest = new ConcurrentHashMap<>();

    public DriftGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A report arrived on warm.drift: its figures become the version's gauges if it is the newest window. */
    public void report(DriftReport r) {
        String key = r.getAverage() + "/" + r.getModelVersion();
        DriftReport before = latest.get(key);
        if (before != null && before.getWindowEnd().isAfter(r.getWindowEnd())) {
            return;
        }
        latest.put(key, r);
        if (before == null) {
            Tags tags = Tags.of("average", r.getAverage(), "version", Long.toString(r.getModelVersion()));
            gauge("warm.scorer.drift.reward.mean", "Mean reward of traffic in the newest window", key, tags, DriftReport::getRewardMean);
            gauge("warm.scorer.drift.reward.std", "Standard deviation of traffic rewards in the newest window", key, tags, DriftReport::getRewardStd);
            gauge("warm.scorer.drift.psi", "Population stability index of the newest window against the version's held-out rewards", key, tags, DriftReport::getPsi);
            gauge("warm.scorer.drift.prequential.accuracy", "Accuracy on fresh labels in the newest window", key, tags, DriftReport::getPrequentialAccuracy);
            gauge("warm.scorer.drift.agreement", "Share of fresh labels ordered as the previous version orders them, newest window", key, tags, DriftReport::getAgreementWithPrevious);
            gauge("warm.scorer.drift.scored", "Traffic rewards in the newest window", key, tags, x -> (double) x.getScoredCount());
            gauge("warm.scorer.drift.window.end", "End of the newest reported window (epoch seconds)", key, tags,
                    x -> x.getWindowEnd().toEpochMilli() / 1000.0);
        }
    }

    private void gauge(String name, String description, String key, Tags tags, Function<DriftReport, Double> figure) {
        Gauge.builder(name, latest, m -> {
            DriftReport r = m.get(key);
            Double v = r == null ? null : figure.apply(r);
            return v == null ? Double.NaN : v;
        }).tags(tags).description(description).register(registry);
    }
}
