package io.warmstream.scorer.health;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.kafka.TopicSetup;
import io.warmstream.scorer.kafka.ModelFollower;
import io.warmstream.scorer.kafka.ScoreStreams;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;

/**
 * {@code kafka} entry of {@code /health}: UP when the cluster answers, the models follower is alive and the
 * stream-scoring app (if enabled and started) is running; DOWN otherwise, with the reason in the details.
 */
@Singleton
@Readiness
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class KafkaHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final TopicSetup admin;
    private final ModelFollower follower;
    private final BeanProvider<ScoreStreams> streams;

    public KafkaHealthIndicator(TopicSetup admin, ModelFollower follower, BeanProvider<ScoreStreams> streams) {
        this.admin = admin;
        this.follower = follower;
        this.streams = streams;
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        ClusterHealth health = admin.clusterHealth(TIMEOUT)
                .with("followerCaughtUp", follower.caughtUp(), true)
                .with("modelRecordsRead", follower.recordsRead(), true);
        if (follower.lastError() != null) {
            health = health.with("followerLastError", follower.lastError(), true);
        }
        if (streams.isPresent()) {
            ScoreStreams s = streams.get();
            health = s.started() ? s.health(health)
                    : health.with("streamScoring", "waiting for the first model", true);
        }
        healthStatus = health.up() ? HealthStatus.UP : HealthStatus.DOWN;
        return health.details();
    }
}
