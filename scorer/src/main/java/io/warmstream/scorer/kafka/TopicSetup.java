package io.warmstream.scorer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.ServiceAdmin;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.config.DriftSettings;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scorer's {@link ServiceAdmin}: its topics exist and their schemas are registered before anything reads or
 * writes them. Created first, closed last.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class TopicSetup implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);

    private final ServiceAdmin admin;

    public TopicSetup(ScorerConfig config, DriftSettings drift) {
        List<TopicSpec> topics = new ArrayList<>();
        if (config.provisionTopics()) {
            topics.addAll(List.of(Topics.spec(Topics.MODELS), Topics.spec(Topics.SCORE_REQUESTS),
                    Topics.spec(Topics.SCORES), Topics.spec(Topics.EVALUATIONS)));
            if (config.preloadCandidates()) {
                topics.add(Topics.spec(Topics.MODEL_CANDIDATES));
            }
            // Drift monitoring's topics too, so every topic the scorer needs is created here, with one admin client.
            if (drift.getEnabled()) {
                topics.add(Topics.spec(Topics.DRIFT_OBSERVATIONS));
                topics.add(Topics.spec(Topics.DRIFT));
            }
        }
        this.admin = ServiceAdmin.open(config.kafka(), config.applicationId() + "-admin", config.closeTimeout(), topics);
        if (config.provisionTopics()) {
            LOG.info("scorer topics ready on {}", config.kafka().bootstrapServers());
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
