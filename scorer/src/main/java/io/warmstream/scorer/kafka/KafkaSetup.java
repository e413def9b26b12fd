package io.warmstream.scorer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes sure the scorer's topics exist and their schemas are registered before anything reads or writes them, and
 * keeps the admin client the health check uses. Created first, closed last.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class KafkaSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSetup.class);

    private final Admin admin;
    private final Duration closeTimeout;

    public KafkaSetup(ScorerConfig config, Environment env) {
        this.closeTimeout = config.closeTimeout();
        this.admin = config.kafka().admin(config.applicationId() + "-admin");
        if (config.provisionTopics()) {
            List<TopicSpec> topics = new ArrayList<>(List.of(Topics.spec(Topics.MODELS), Topics.spec(Topics.SCORE_REQUESTS),
                    Topics.spec(Topics.SCORES), Topics.spec(Topics.EVALUATIONS)));
            // Drift monitoring's topics too, so every topic the scorer needs is created here, with one admin client.
            if (!"false".equalsIgnoreCase(env.getProperty(DriftConfig.ENABLED, String.class, "true").trim())) {
                topics.add(Topics.spec(Topics.DRIFT_OBSERVATIONS));
                topics.add(Topics.spec(Topics.DRIFT));
            }
            try {
                config.kafka().provision(admin, topics);
            } catch (RuntimeException e) {
                admin.close(closeTimeout);
                throw e;
            }
            LOG.info("scorer topics ready on {}", config.kafka().bootstrapServers());
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
