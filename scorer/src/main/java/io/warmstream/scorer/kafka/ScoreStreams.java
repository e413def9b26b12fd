package io.warmstream.scorer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.ScoreRequest;
import io.warmstream.events.ScoreResult;
import io.warmstream.platform.ClusterHealth;
import io.warmstream.platform.StreamsApp;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.ScorerMetrics;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ServingListener;
import io.warmstream.scorer.topology.ScoreRequestTopology;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link ScoreRequestTopology} as an exactly-once Kafka Streams application, scoring through the same
 * {@link DynamicBatcher} as HTTP (so stream and HTTP requests share batches). It starts when the first version is
 * serving: until then requests wait in Kafka instead of being answered with errors. Scorer instances share the
 * application id, so they split the requests between them.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = "warm.scorer.stream.enabled", notEquals = "false")
public final class ScoreStreams implements ServingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoreStreams.class);

    private final StreamsApp app;
    private final DynamicBatcher batcher;

    public ScoreStreams(ScorerConfig config, TopicSetup setup, HotSwappedModel hot, DynamicBatcher batcher, ScorerMetrics metrics) {
        this.batcher = batcher;
        KafkaSettings kafka = config.kafka();
        ScoreRequestTopology.Settings settings = new ScoreRequestTopology.Settings(Topics.SCORE_REQUESTS, Topics.SCORES,
                config.average(), kafka.serdes().valueDeserializer(ScoreRequest.class),
                kafka.serdes().valueSerde(ScoreResult.class), new BoundedStreamScorer(batcher, config.streamScoreTimeout()),
                config.maxChars(), Clock.systemUTC());
        StreamsBuilder builder = new StreamsBuilder();
        ScoreRequestTopology.build(builder, settings);
        Topology topology = builder.build();
        // Only transient failures (no reward within the score timeout, registry unreachable) kill a stream thread; bad
        // records are answered with errors. The app replaces the thread, which retries the uncommitted records.
        // Leaving the group on close: the instance that takes over (a restart, a scale-down) gets the partitions at
        // once instead of after the session timeout.
        this.app = new StreamsApp("streamScoring", topology, properties(config), config.closeTimeout(), true);
        metrics.bindStreams(app.streams());
        hot.addListener(this);
        if (hot.current().isPresent()) {
            start();
        }
    }

    static Map<String, Object> properties(ScorerConfig config) {
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        extra.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        extra.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        extra.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // A record blocks its task's open transaction for up to the score timeout; the broker must not abort it first.
        extra.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) config.streamTransactionTimeout().toMillis());
        extra.putAll(config.streamsOverrides());
        return config.kafka().streamsConfig(config.applicationId(), extra);
    }

    @Override
    public void onSwap(ModelSwap swap) {
        start();
    }

    private void start() {
        if (app.start()) {
            LOG.info("stream scoring started: {} -> {}", Topics.SCORE_REQUESTS, Topics.SCORES);
        }
    }

    public boolean started() {
        return app.started();
    }

    /** {@code cluster} with the app's state under {@code streamScoring}. */
    public ClusterHealth health(ClusterHealth cluster) {
        return app.health(cluster);
    }

    @PreDestroy
    @Override
    public void close() {
        app.close();
    }
}
