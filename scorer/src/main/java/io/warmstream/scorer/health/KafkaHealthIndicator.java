package io.warmstream.scorer.health;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.kafka.KafkaSetup;
import io.warmstream.scorer.kafka.ModelFollower;
import io.warmstream.scorer.kafka.ScoreStreams;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.LinkedHashMap;
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

    private final KafkaSetup admin;
    private final ModelFollower follower;
    private final BeanProvider<ScoreStreams> streams;

    public KafkaHealthIndicator(KafkaSetup admin, ModelFollower follower, BeanProvider<ScoreStreams> streams) {
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
        Map<String, Object> d = new LinkedHashMap<>();
        HealthStatus status = HealthStatus.UP;
        try {
            KafkaSetup.ClusterView cluster = admin.describeCluster(TIMEOUT);
            d.put("clusterId", cluster.clusterId());
            d.put("brokers", cluster.brokers());
        } catch (Exception e) {
            status = HealthStatus.DOWN;
            d.put("error", "cluster did not answer within " + TIMEOUT.toSeconds() + " s: " + e);
        }
        d.put("followerCaughtUp", follower.caughtUp());
        d.put("modelRecordsRead", follower.recordsRead());
        if (follower.lastError() != null) {
            d.put("followerLastError", follower.lastError());
        }
        if (streams.isPresent()) {
            ScoreStreams s = streams.get();
            KafkaStreams.State state = s.state();
            d.put("streamScoring", s.started() ? state.name() : "waiting for the first model");
            if (s.started() && state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
                status = HealthStatus.DOWN;
            }
        }
        healthStatus = status;
        return d;
    }
}
