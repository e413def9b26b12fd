package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.schemas.ClusterHealth;
import io.warmstream.schemas.SchemaRegistration;
import io.warmstream.schemas.TopicProvisioner;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Makes sure the label topics exist and their value schemas are registered before anything produces, and keeps
 * the admin client the health check uses. Created first (the producer and the streams app depend on it), so it is
 * closed last.
 */
@Context
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class TopicSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final Admin admin;
    private final Duration closeTimeout;

    public TopicSetup(IngestConfig config) {
        this.closeTimeout = config.closeTimeout();
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId() + "-admin",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        if (config.provisionTopics()) {
            List<TopicSpec> specs = List.of(Topics.spec(Topics.PREFERENCES_RAW), Topics.spec(Topics.PREFERENCES),
                    Topics.spec(Topics.PREFERENCES_DLQ));
            TopicProvisioner.provision(admin, specs, config.replicationFactor());
            String registry = config.registryUrl();
            // A registry that is away at start-up is waited for (warm.registry.startup-wait), not a reason to exit.
            SchemaRegistration.registerAll(registry, specs, SchemaRegistration.startupWait(config.serdeSettings()));
            LOG.info("Label topics ready on {}, schemas registered at {}", config.bootstrapServers(), registry);
        }
    }

    /** Whether the cluster answers within {@code timeout}, with its id and broker count. */
    public ClusterHealth clusterHealth(Duration timeout) {
        return ClusterHealth.of(admin, timeout);
    }

    @PreDestroy
    @Override
    public void close() {
        admin.close(closeTimeout);
    }
}
