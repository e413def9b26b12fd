package io.warmstream.platform;

import io.warmstream.schemas.TopicSpec;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Collection;

/**
 * A service's one admin client: created first, it makes sure the service's topics exist and their value schemas
 * are registered before anything reads or writes them, then answers the health check's cluster question until the
 * service closes it, last. Each service wraps it in its own {@code TopicSetup} bean.
 */
public final class ServiceAdmin implements AutoCloseable {

    private final Admin admin;
    private final Duration closeTimeout;

    private ServiceAdmin(Admin admin, Duration closeTimeout) {
        this.admin = admin;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Opens the admin client and, unless {@code topics} is empty, provisions them (waiting for the registry as
     * {@link KafkaSettings#provision} does); closes the client again when provisioning fails.
     */
    public static ServiceAdmin open(KafkaSettings kafka, String clientId, Duration closeTimeout,
                                    Collection<TopicSpec> topics) {
        Admin admin = kafka.admin(clientId);
        try {
            if (!topics.isEmpty()) {
                kafka.provision(admin, topics);
            }
        } catch (RuntimeException e) {
            admin.close(closeTimeout);
            throw e;
        }
        return new ServiceAdmin(admin, closeTimeout);
    }

    /** Whether the cluster answers within {@code timeout}, with its id and broker count. */
    public ClusterHealth clusterHealth(Duration timeout) {
        return ClusterHealth.of(admin, timeout);
    }

    @Override
    public void close() {
        admin.close(closeTimeout);
    }
}
