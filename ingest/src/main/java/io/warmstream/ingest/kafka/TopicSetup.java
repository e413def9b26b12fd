package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.ServiceAdmin;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Ingest's {@link ServiceAdmin}: the label topics exist and their value schemas are registered before anything
 * produces. Created first (the producer and the streams app depend on it), so it is closed last.
 */
@Context
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class TopicSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final ServiceAdmin admin;

    public TopicSetup(IngestConfig config) {
        this.admin = ServiceAdmin.open(config.kafka(), config.applicationId() + "-admin", config.closeTimeout(),
                config.provisionTopics() ? List.of(Topics.spec(Topics.PREFERENCES_RAW), Topics.spec(Topics.PREFERENCES),
                        Topics.spec(Topics.PREFERENCES_DLQ)) : List.of());
        if (config.provisionTopics()) {
            LOG.info("Label topics ready on {}, schemas registered at {}", config.bootstrapServers(), config.registryUrl());
        }
    }

    /** The admin client's settings, {@code warm.kafka.client.*} included. */
    static Map<String, Object> adminConfig(IngestConfig config) {
        return config.kafka().adminConfig(config.applicationId() + "-admin");
    }

    public ClusterHealth clusterHealth(Duration timeout) {
        return admin.clusterHealth(timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        admin.close();
    }
}
