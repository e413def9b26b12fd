package io.warmstream.scorer.drift.aggregate;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.platform.StreamsApp;
import io.warmstream.events.DriftObservation;
import io.warmstream.events.DriftReport;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.kafka.TopicSetup;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@link DriftTopology} as a Kafka Streams application shared by scorer instances (one stream thread; the
 * observations topic has one partition, so one instance aggregates at a time and the others stand by). Exactly-once
 * (v2): a window's counts are sums, so a crash between updating them and committing must not count an observation
 * twice. Undecodable observations are logged and skipped. Its topics are provisioned by {@link TopicSetup}.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class DriftStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftStreams.class);

    private final StreamsApp app;

    /** {@code provisioned}: {@link TopicSetup} has created warm.drift and warm.drift.observations by now. */
    public DriftStreams(ScorerConfig config, DriftConfig drift, TopicSetup provisioned) {
        StreamsBuilder builder = new StreamsBuilder();
        DriftTopology.build(builder, new DriftTopology.Settings(Topics.DRIFT_OBSERVATIONS, Topics.DRIFT,
                config.kafka().serdes().valueSerde(DriftObservation.class), config.kafka().serdes().valueSerde(DriftReport.class),
                drift.window(), drift.grace(), drift.sketchSize()));
        Map<String, Object> extra = new HashMap<>();
        extra.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        extra.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        extra.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        extra.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        extra.putAll(config.streamsOverrides());
        extra.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        this.app = new StreamsApp("drift", builder.build(), config.kafka().streamsConfig(drift.applicationId(), extra),
                config.closeTimeout(), true);
        app.start();
        LOG.info("drift reports: {} -> {} every {} (grace {})", Topics.DRIFT_OBSERVATIONS, Topics.DRIFT, drift.window(), drift.grace());
    }

    @PreDestroy
    @Override
    public void close() {
        app.close();
    }
}
