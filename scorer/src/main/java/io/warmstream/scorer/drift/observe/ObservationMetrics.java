package io.warmstream.scorer.drift.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.warmstream.scorer.ScorerConfig;
import jakarta.inject.Singleton;

/** Counters of the observers on {@code /prometheus}: labels scored or skipped, observations that could not be sent. */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ObservationMetrics {

    private final MeterRegistry registry;
    private final Counter scored;
    private final Counter observationFailures;

    public ObservationMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.scored = Counter.builder("warm.scorer.drift.labels.scored")
                .description("Fresh labels scored for prequential accuracy").register(registry);
        this.observationFailures = Counter.builder("warm.scorer.drift.observations.failed")
                .description("Drift observations that could not be sent").register(registry);
    }

    public void labelsScored(int n) {
        scored.increment(n);
    }

    /** A label not scored: undecodable, too_long, not_fresh, not_sampled, no_model, scoring_failed. */
    public void labelSkipped(String reason) {
        Counter.builder("warm.scorer.drift.labels.skipped").tag("reason", reason)
                .description("Labels on warm.preferences not used for prequential accuracy, by reason").register(registry).increment();
    }

    public void observationFailed() {
        observationFailures.increment();
    }
}
