package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.trainer.TrainerConfig;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Makes sure the trainer's topics exist and their value schemas are registered before anything runs, and keeps the
 * admin client the health check uses. Created first, closed last.
 */
@Context
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TopicSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final Admin admin;
    private final Duration closeTimeout;

    public TopicSetup(TrainerConfig config) {
        this.closeTimeout = config.closeTimeout();
        this.admin = config.kafka().admin("warm-trainer-admin-" + config.workerId());
        if (config.provisionTopics()) {
            config.kafka().provision(admin, config.topics());
            LOG.info("trainer topics ready on {}, schemas registered at {}", config.kafka().bootstrapServers(),
                    config.kafka().registryUrl());
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
