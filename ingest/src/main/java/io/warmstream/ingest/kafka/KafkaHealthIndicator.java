package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.ingest.IngestConfig;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.LinkedHashMap;
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
        Map<String, Object> details = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.UP;
        try {
            TopicSetup.ClusterView cluster = admin.describeCluster(TIMEOUT);
            details.put("clusterId", cluster.clusterId());
            details.put("brokers", cluster.brokers());
        } catch (Exception e) {
            status = HealthStatus.DOWN;
            details.put("error", "cluster did not answer within " + TIMEOUT.toSeconds() + " s: " + e);
        }
        if (streams.isPresent()) {
            KafkaStreams.State state = streams.get().state();
            details.put("validation", state.name());
            if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING
                    && state != KafkaStreams.State.CREATED) {
                status = HealthStatus.DOWN;
            }
        }
        this.healthStatus = status;
        return details;
    }
}
