package io.warmstream.platform;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Kafka Streams application run for the life of a service: every Streams app of every service (ingest's
 * validation, the trainer's planner, the scorer's stream scoring and drift reports) runs through it.
 * <ul>
 *   <li>Its config comes from {@link KafkaSettings#streamsConfig}, so {@code warm.kafka.client.*} applies.</li>
 *   <li>A stream thread that dies is replaced: the topologies dead-letter or skip bad records themselves, so only a
 *       transient failure (registry or broker unreachable, a score timeout) gets here, and a new thread retries
 *       the records its predecessor had not committed.</li>
 *   <li>State changes are logged; {@link #health} adds the state to a health check.</li>
 *   <li>{@link #close()} waits at most the close timeout, and can leave the group so that the instance taking
 *       over gets the partitions at once instead of after the session timeout.</li>
 * </ul>
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final String name;
    private final KafkaStreams streams;
    private final Duration closeTimeout;
    private final boolean leaveGroupOnClose;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicLong replacedThreads = new AtomicLong();

    /**
     * @param name              for logs and health (e.g. {@code label validation})
     * @param config            from {@link KafkaSettings#streamsConfig}
     * @param leaveGroupOnClose whether {@link #close()} leaves the consumer group
     */
    public StreamsApp(String name, Topology topology, Map<String, Object> config, Duration closeTimeout,
                      boolean leaveGroupOnClose) {
        this.name = name;
        this.closeTimeout = closeTimeout;
        this.leaveGroupOnClose = leaveGroupOnClose;
        Properties p = new Properties();
        p.putAll(config);
        this.streams = new KafkaStreams(topology, p);
        streams.setUncaughtExceptionHandler(e -> {
            replacedThreads.incrementAndGet();
            LOG.warn("{} stream thread failed; replacing it", name, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, was) -> {
            if (now == KafkaStreams.State.ERROR) {
                LOG.error("{}: Kafka Streams went from {} to {}", name, was, now);
            } else {
                LOG.debug("{}: Kafka Streams went from {} to {}", name, was, now);
            }
        });
    }

    /** Starts the app; later calls do nothing. True if this call started it. */
    public boolean start() {
        if (started.compareAndSet(false, true)) {
            streams.start();
            return true;
        }
        return false;
    }

    public boolean started() {
        return started.get();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The client, for metrics binding; start and close it through this class. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Stream threads that died and were replaced since start. */
    public long replacedThreads() {
        return replacedThreads.get();
    }

    /** {@code cluster} with this app's state under {@code name}; an app that is not running makes it down. */
    public ClusterHealth health(ClusterHealth cluster) {
        return cluster.withStreams(name, state());
    }

    @Override
    public void close() {
        CloseOptions options = CloseOptions.timeout(closeTimeout);
        if (leaveGroupOnClose) {
            options = options.withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        }
        if (!streams.close(options)) {
            LOG.warn("{}: Kafka Streams did not stop within {}", name, closeTimeout);
        }
    }
}
