package io.warmstream.merger;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.merger.kafka.MergerStatus;
import io.warmstream.merger.kafka.WarmMerger;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code merger} entry of {@code /health}: UP while the merger is active or standing by without a pending fault;
 * DOWN when its loop ended or a fault (store unreachable, Kafka failing, bad config) keeps it from progressing; an
 * unreachable checkpoint store or schema registry is named under {@code dependencies} while the merger waits for it.
 */
@Singleton
@Readiness
@Requires(property = MergerConfig.ENABLED, value = "true")
public final class MergerHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final MergerService service;

    public MergerHealthIndicator(MergerService service) {
        this.service = service;
    }

    @Override
    protected String getName() {
        return "merger";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        MergerStatus s = service.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("average", service.average());
        details.put("role", s.role().name());
        details.put("paused", s.paused());
        details.put("version", s.state() == null ? 0 : s.state().version());
        details.put("modelDirectories", service.modelDirectories());
        if (s.lastError() != null) {
            details.put("error", s.lastError());
        }
        if (!s.outages().isEmpty()) {
            details.put("dependencies", s.outages()); // e.g. checkpoint-store: DOWN since ..., retrying
        }
        boolean up = (s.role() == WarmMerger.Role.ACTIVE || s.role() == WarmMerger.Role.STANDBY
                || s.role() == WarmMerger.Role.STARTING) && s.lastError() == null;
        this.healthStatus = up ? HealthStatus.UP : HealthStatus.DOWN;
        return details;
    }
}
