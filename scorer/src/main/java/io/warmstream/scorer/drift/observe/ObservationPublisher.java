package io.warmstream.scorer.drift.observe;

import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftObservation;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.drift.ObservationKey;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sends {@link DriftObservation}s to {@code warm.drift.observations}, keyed by average and version and stamped with
 * the observation time (the topology windows by it). Asynchronous and at-least-once: an observation that cannot be
 * sent is logged and counted, never retried by the caller, since monitoring must not slow scoring down.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class ObservationPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservationPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<DriftObservation> serializer;
    private final ObservationMetrics metrics;
    private final ScorerConfig config;

    public ObservationPublisher(ScorerConfig config, DriftConfig drift, ObservationMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.serializer = config.kafka().serdes().valueSerializer(DriftObservation.class);
        this.producer = new KafkaProducer<>(config.kafka().producerConfig(drift.applicationId() + "-observations",
                Map.of(ProducerConfig.LINGER_MS_CONFIG, 20)));
    }

    /** An observation of {@code version} at {@code at} with nothing in it yet (a tick as it is). */
    static DriftObservation.Builder empty(String average, long version, Instant at) {
        return DriftObservation.newBuilder().setAverage(average).setModelVersion(version).setObservedAt(at)
                .setRewards(List.of()).setReferenceRewards(List.of());
    }

    public void publish(DriftObservation o) {
        byte[] value;
        try {
            value = serializer.serialize(Topics.DRIFT_OBSERVATIONS, o);
        } catch (RuntimeException e) {
            LOG.warn("drift observation not sent (registry?): {}", e.toString());
            metrics.observationFailed();
            return;
        }
        producer.send(new ProducerRecord<>(Topics.DRIFT_OBSERVATIONS, null, o.getObservedAt().toEpochMilli(),
                ObservationKey.of(o.getAverage(), o.getModelVersion()), value), (meta, error) -> {
            if (error != null) {
                LOG.warn("drift observation not sent: {}", error.toString());
                metrics.observationFailed();
            }
        });
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(config.closeTimeout());
    }
}
