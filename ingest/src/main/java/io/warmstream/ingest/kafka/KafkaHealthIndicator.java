package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.platform.ClusterHealth;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/**
 * {@code kafka} entry of {@code /health}: UP when the cluster answers and the validation app (if it runs here) is
 * running or rebalancing; DOWN otherwise, with the reason in the details.
 */
@Singleton
@Readiness
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class KafkaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final TopicSetup admin;
    private final BeanProvider<ValidationStreams> streams;

    public KafkaHealthIndicator(TopicSetup admin, BeanProvider<ValidationStreams> streams) {
        this.admin = admin;
        this.streams = streams;
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ClusterHealth health = admin.clusterHealth(TIMEOUT);
        if (streams.isPresent()) {
            health = streams.get().health(health);
        }
        this.healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return health.details();
    }
}
