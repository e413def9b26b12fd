package io.warmstream.scorer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.ScoreRequest;
import io.warmstream.events.ScoreResult;
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
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

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

    private final KafkaStreams streams;
    private final Duration closeTimeout;
    private final AtomicBoolean started = new AtomicBoolean();
    private final DynamicBatcher batcher;

    public ScoreStreams(ScorerConfig config, KafkaSetup setup, HotSwappedModel hot, DynamicBatcher batcher, ScorerMetrics metrics) {
        this.closeTimeout = config.closeTimeout();
        this.batcher = batcher;
        KafkaSettings kafka = config.kafka();
        ScoreRequestTopology.Settings settings = new ScoreRequestTopology.Settings(Topics.SCORE_REQUESTS, Topics.SCORES,
                config.average(), kafka.serdes().valueDeserializer(ScoreRequest.class),
                kafka.serdes().valueSerde(ScoreResult.class), new BoundedStreamScorer(batcher, config.streamScoreTimeout()),
                config.maxChars(), Clock.systemUTC());
        StreamsBuilder builder = new StreamsBuilder();
        ScoreRequestTopology.build(builder, settings);
        Topology topology = builder.build();
        this.streams = new KafkaStreams(topology, properties(config));
        // Only transient failures (no reward within the score timeout, registry unreachable) reach here; bad records are
        // answered with errors. A new thread retries the uncommitted records.
        streams.setUncaughtExceptionHandler(e -> {
            LOG.warn("score stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        metrics.bindStreams(streams);
        hot.addListener(this);
        if (hot.current().isPresent()) {
            start();
        }
    }

    static Properties properties(ScorerConfig config) {
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        extra.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        extra.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        extra.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // A record blocks its task's open transaction for up to the score timeout; the broker must not abort it first.
        extra.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) config.streamTransactionTimeout().toMillis());
        extra.putAll(config.streamsOverrides());
        Properties p = new Properties();
        p.putAll(config.kafka().streamsConfig(config.applicationId(), extra));
        return p;
    }

    @Override
    public void onSwap(ModelSwap swap) {
        start();
    }

    private void start() {
        if (started.compareAndSet(false, true)) {
            streams.start();
            LOG.info("stream scoring started: {} -> {}", Topics.SCORE_REQUESTS, Topics.SCORES);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public boolean started() {
        return started.get();
    }

    @PreDestroy
    @Override
    public void close() {
        // Leave the group: the instance that takes over (a restart, a scale-down) gets the partitions at once
        // instead of after the session timeout.
        streams.close(CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
