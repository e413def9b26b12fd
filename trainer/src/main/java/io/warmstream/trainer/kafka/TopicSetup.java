package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.ServiceAdmin;
import io.warmstream.trainer.TrainerConfig;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * The trainer's {@link ServiceAdmin}: its topics exist and their value schemas are registered before anything
 * runs. Created first, closed last.
 */
@Context
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TopicSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final ServiceAdmin admin;

    public TopicSetup(TrainerConfig config) {
        this.admin = ServiceAdmin.open(config.kafka(), "warm-trainer-admin-" + config.workerId(),
                config.closeTimeout(), config.provisionTopics() ? config.topics() : List.of());
        if (config.provisionTopics()) {
            LOG.info("trainer topics ready on {}, schemas registered at {}", config.kafka().bootstrapServers(),
                    config.kafka().registryUrl());
        }
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
