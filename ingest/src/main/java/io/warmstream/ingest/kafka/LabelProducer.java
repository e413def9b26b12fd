package io.warmstream.ingest.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestConfig;
import io.warmstream.ingest.IngestMetrics;
import io.warmstream.platform.KafkaSettings;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes labels accepted over HTTP to Kafka, keyed by label id, with an idempotent producer and acks=all, and
 * reports per label whether the broker acknowledged it. Callers reply only after every label has an outcome.
 */
@Context
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class LabelProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabelProducer.class);

    private final Producer<String, PreferenceLabel> producer;
    private final String topic;
    private final Duration closeTimeout;

    public LabelProducer(IngestConfig config, TopicSetup topics, IngestMetrics metrics) {
        this.topic = config.httpTopic();
        this.closeTimeout = config.closeTimeout();
        this.producer = new KafkaProducer<>(producerConfigs(config), new StringSerializer(),
                LabelSerdes.forConfig(config).serializer());
        metrics.bindProducer(producer);
        try {
            producer.partitionsFor(topic); // fetch metadata now, so the first request does not block on it
        } catch (RuntimeException e) {
            LOG.warn("no metadata for {} yet: {}", topic, e.toString());
        }
    }

    /** The settings of the service's producer: {@link #producerConfigs(KafkaSettings, String, Map)} for its config. */
    static Map<String, Object> producerConfigs(IngestConfig config) {
        return producerConfigs(config.kafka(), config.applicationId() + "-producer", config.producerOverrides());
    }

    /**
     * Our producer defaults: durable (acks=all, idempotent, so retries never duplicate or reorder) and batched,
     * over {@link KafkaSettings#producerConfig} (so {@code warm.kafka.client.*} applies). Measured by
     * {@code IngestBenchmark}; {@code overrides} ({@code warm.ingest.producer.*}) win.
     */
    public static Map<String, Object> producerConfigs(KafkaSettings kafka, String clientId, Map<String, Object> overrides) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // Bounded so an HTTP request fails within seconds, not the 2-minute default, when the broker is gone.
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        c.putAll(overrides);
        return kafka.producerConfig(clientId, c);
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends every label and completes when all have an outcome: element {@code i} of the result is null if label
     * {@code i} was acknowledged, else the error.
     */
    public CompletableFuture<Throwable[]> send(List<PreferenceLabel> labels) {
        Throwable[] outcome = new Throwable[labels.size()];
        CompletableFuture<Throwable[]> done = new CompletableFuture<>();
        if (labels.isEmpty()) {
            done.complete(outcome);
            return done;
        }
        AtomicInteger pending = new AtomicInteger(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            int index = i;
            PreferenceLabel label = labels.get(i);
            try {
                producer.send(new ProducerRecord<>(topic, label.getId(), label), (metadata, error) -> {
                    outcome[index] = error;
                    if (pending.decrementAndGet() == 0) done.complete(outcome);
                });
            } catch (RuntimeException e) { // serialization or buffer-full timeouts are thrown, not called back
                outcome[index] = e;
                if (pending.decrementAndGet() == 0) done.complete(outcome);
            }
        }
        return done;
    }

    /** The underlying client, for metrics binding. */
    public Producer<String, PreferenceLabel> client() {
        return producer;
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(closeTimeout);
    }
}
