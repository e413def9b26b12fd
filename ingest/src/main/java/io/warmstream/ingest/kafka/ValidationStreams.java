package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.ingest.IngestMetrics;
import io.warmstream.ingest.topology.RawPreferenceTopology;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.StreamsApp;
import io.warmstream.schemas.Topics;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link RawPreferenceTopology} as an exactly-once Kafka Streams application for the life of the Micronaut
 * context. Built by hand rather than through micronaut-kafka-streams, which would also start a default instance.
 */
@Context
@Requires(property = IngestConfig.ENABLED, value = "true")
@Requires(property = "warm.ingest.topology.enabled", notEquals = "false")
public final class ValidationStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ValidationStreams.class);

    private final StreamsApp app;

    public ValidationStreams(IngestConfig config, TopicSetup topics, IngestMetrics metrics) {
        RawPreferenceTopology.Settings settings = new RawPreferenceTopology.Settings(Topics.PREFERENCES_RAW,
                Topics.PREFERENCES, Topics.PREFERENCES_DLQ, config.dedupWindow(), config.rules(),
                LabelSerdes.forConfig(config), metrics, config.deadLetterMaxBytes());
        StreamsBuilder builder = new StreamsBuilder();
        RawPreferenceTopology.build(builder, settings);
        Topology topology = builder.build();
        LOG.debug("label validation topology:\n{}", topology.describe());

        // A stream thread only dies on a transient failure (e.g. registry unreachable); poison records are
        // dead-lettered. The app replaces the thread, which retries the uncommitted records. It stays in the group
        // on close, as it always has.
        this.app = new StreamsApp("validation", topology, streamsConfig(config), config.closeTimeout(), false);
        metrics.bindStreams(app.streams());
        app.start();
        LOG.info("label validation started: {} -> {} / {}", Topics.PREFERENCES_RAW, Topics.PREFERENCES, Topics.PREFERENCES_DLQ);
    }

    static Map<String, Object> streamsConfig(IngestConfig config) {
        // Application id, exactly-once v2, replication factor and warm.kafka.client.* come from KafkaSettings.
        Map<String, Object> c = new HashMap<>();
        c.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        c.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        c.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // Measured with IngestBenchmark (bench.only=topology): 16 KiB batches hold ~15 labels, so the broker and the
        // producer paid per batch; 256 KiB batches halved the CPU per label. Committing every second instead of every
        // 100 ms (the exactly-once default) makes fewer, fuller transactions; labels reach warm.preferences within ~1 s.
        c.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        c.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000);
        c.putAll(config.streamsOverrides());
        return config.kafka().streamsConfig(config.applicationId(), c);
    }

    /** {@code cluster} with the app's state under {@code validation}. */
    public ClusterHealth health(ClusterHealth cluster) {
        return app.health(cluster);
    }

    @PreDestroy
    @Override
    public void close() {
        app.close();
    }
}
