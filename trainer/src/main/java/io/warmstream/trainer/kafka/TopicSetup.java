package io.warmstream.trainer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.trainer.TrainerConfig;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

    /** Cluster id and broker count, or an exception if the cluster does not answer within {@code timeout}. */
    public ClusterView describeCluster(Duration timeout) throws Exception {
        DescribeClusterResult r = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()));
        return new ClusterView(r.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                r.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size());
    }

    public record ClusterView(String clusterId, int brokers) {
    }

    @PreDestroy
    @Override
    public void close() {
        admin.close(closeTimeout);
    }
}
