package io.warmstream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.warmstream.ingest.rules.Reason;
import io.warmstream.ingest.topology.TopologyEvents;
import io.warmstream.platform.KafkaClientMeters;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counters for what happened to labels, exported on {@code /prometheus}: accepted and rejected over HTTP
 * (by reason), and passed, dead-lettered (by reason) and duplicate in the validation topology. Kafka client and
 * Streams metrics are bound here too.
 */
@Singleton
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class IngestMetrics implements TopologyEvents {

    private final MeterRegistry registry;
    private final Counter httpAccepted;
    private final Counter httpNotWritten;
    private final Map<Reason, Counter> httpRejected = new EnumMap<>(Reason.class);
    private final Counter passed;
    private final Counter duplicates;
    private final Map<Reason, Counter> deadLettered = new EnumMap<>(Reason.class);
    private final KafkaClientMeters clientMeters;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.clientMeters = new KafkaClientMeters(registry);
        this.httpAccepted = Counter.builder("warm.ingest.http.accepted").description("Labels accepted over HTTP and written to Kafka").register(registry);
        this.httpNotWritten = Counter.builder("warm.ingest.http.not.written").description("Valid labels Kafka did not acknowledge").register(registry);
        this.passed = Counter.builder("warm.ingest.topology.passed").description("Labels written to the validated topic").register(registry);
        this.duplicates = Counter.builder("warm.ingest.topology.duplicates").description("Labels dropped as duplicate ids within the window").register(registry);
        for (Reason r : Reason.values()) {
            httpRejected.put(r, Counter.builder("warm.ingest.http.rejected").tag("reason", r.code())
                    .description("Labels refused over HTTP").register(registry));
            deadLettered.put(r, Counter.builder("warm.ingest.topology.dead.lettered").tag("reason", r.code())
                    .description("Raw records sent to the dead-letter topic").register(registry));
        }
    }

    public void httpAccepted(int n) {
        httpAccepted.increment(n);
    }

    public void httpRejected(Reason reason) {
        httpRejected.get(reason).increment();
    }

    /** A body refused as a whole (unreadable, unknown field, over a request limit), by error code. */
    public void httpRefused(String error) {
        Counter.builder("warm.ingest.http.refused").tag("error", error)
                .description("Requests refused as a whole (400, 413, 422 before any item was judged)").register(registry).increment();
    }

    public void httpNotWritten(int n) {
        httpNotWritten.increment(n);
    }

    @Override
    public void passed() {
        passed.increment();
    }

    @Override
    public void duplicateDropped() {
        duplicates.increment();
    }

    @Override
    public void deadLettered(String reason) {
        for (Map.Entry<Reason, Counter> e : deadLettered.entrySet()) {
            if (e.getKey().code().equals(reason)) {
                e.getValue().increment();
                return;
            }
        }
    }

    public void bindProducer(Producer<?, ?> producer) {
        clientMeters.bindProducer(producer);
    }

    public void bindStreams(KafkaStreams streams) {
        clientMeters.bindStreams(streams);
    }

    @PreDestroy
    public void close() throws Exception {
        clientMeters.close();
    }
}
