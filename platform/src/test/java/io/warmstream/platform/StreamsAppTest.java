package io.warmstream.platform;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner on the real embedded broker: start once, a dead thread replaced and its record retried, health, close. */
@ExtendWith(EmbeddedInfraExtension.class)
class StreamsAppTest {

    @Test
    void aFailedStreamThreadIsReplacedAndItsRecordProcessedExactlyOnce(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        String in = "streams-app-in-" + UUID.randomUUID();
        String out = "streams-app-out-" + UUID.randomUUID();
        try (Admin admin = settings.admin("streams-app-test")) {
            admin.createTopics(List.of(new NewTopic(in, 1, (short) 1), new NewTopic(out, 1, (short) 1))).all().get();
        }
        AtomicInteger calls = new AtomicInteger();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("transient failure on the first try");
                    }
                    return v.toUpperCase();
                })
                .to(out, Produced.with(Serdes.String(), Serdes.String()));
        Map<String, Object> config = settings.streamsConfig("streams-app-" + UUID.randomUUID(), Map.of(
                StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams-app-state").toString(),
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100));

        StreamsApp app = new StreamsApp("test-app", builder.build(), config, Duration.ofSeconds(20), true);
        assertFalse(app.started());
        assertEquals(KafkaStreams.State.CREATED, app.state());
        app.start();
        app.start(); // a second start is a no-op, not an IllegalStateException
        assertTrue(app.started());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producerConfig("streams-app-test",
                Map.of("key.serializer", Serdes.String().serializer().getClass().getName(),
                        "value.serializer", Serdes.String().serializer().getClass().getName())))) {
            producer.send(new ProducerRecord<>(in, "k", "hello")).get();
        }

        assertEquals(List.of("HELLO"), committed(settings, out, 1));
        assertEquals(1, app.replacedThreads(), "the thread that threw was replaced");
        assertEquals(2, calls.get(), "the new thread retried the record the failed one had not committed");
        ClusterHealth health = app.health(new ClusterHealth(true, Map.of()));
        assertEquals("RUNNING", health.details().get("test-app"));
        assertTrue(health.up());

        app.close();
        assertEquals(KafkaStreams.State.NOT_RUNNING, app.state());
        assertFalse(app.health(new ClusterHealth(true, Map.of())).up(), "a stopped app is down");
    }

    private static List<String> committed(KafkaSettings settings, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumerConfig(null, "streams-app-reader",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, Serdes.String().deserializer().getClass().getName())))) {
            TopicPartition p = new TopicPartition(topic, 0);
            consumer.assign(List.of(p));
            consumer.seekToBeginning(List.of(p));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && (values.size() < expected || quiet < 3)) {
                int before = values.size();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
                quiet = values.size() >= expected && values.size() == before ? quiet + 1 : 0;
            }
        }
        return values;
    }
}
