package io.warmstream.platform;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arrival clock on the real embedded broker: a version's first arrival is kept; one never sent times out. */
@ExtendWith(EmbeddedInfraExtension.class)
class ModelArrivalsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void notesWhenEachVersionFirstBecameReadable(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        try (Admin admin = settings.admin("arrivals-test-admin")) {
            settings.provision(admin, List.of(Topics.spec(Topics.MODELS)));
        }
        String average = "arrivals-" + UUID.randomUUID().toString().substring(0, 8);
        Serializer<WarmModelPublished> ser = settings.serdes().valueSerializer(WarmModelPublished.class);
        try (ModelArrivals arrivals = ModelArrivals.watch(settings, "arrivals-test-watch");
             Producer<String, byte[]> producer = new KafkaProducer<>(settings.producerConfig("arrivals-test", Map.of()))) {
            long beforeFirst = System.nanoTime();
            producer.send(new ProducerRecord<>(Topics.MODELS, average, ser.serialize(Topics.MODELS, model(average, 1)))).get();
            long first = arrivals.await(average, 1, WAIT);
            assertTrue(first > beforeFirst, "noted when read, after it was sent");

            producer.send(new ProducerRecord<>(Topics.MODELS, average, ser.serialize(Topics.MODELS, model(average, 2)))).get();
            long second = arrivals.await(average, 2, WAIT);
            assertTrue(second > first, "version 2 was sent after version 1 arrived");
            producer.send(new ProducerRecord<>(Topics.MODELS, average, ser.serialize(Topics.MODELS, model(average, 2)))).get();
            producer.send(new ProducerRecord<>(Topics.MODELS, average, ser.serialize(Topics.MODELS, model(average, 3)))).get();
            arrivals.await(average, 3, WAIT); // the repeat of version 2 has been read by now
            assertEquals(second, arrivals.await(average, 2, WAIT), "a repeat does not move the first arrival");

            IllegalStateException never = assertThrows(IllegalStateException.class,
                    () -> arrivals.await(average, 4, Duration.ofMillis(200)));
            assertEquals("version 4 of " + average + " never arrived", never.getMessage());
        }
    }

    private static WarmModelPublished model(String average, long version) {
        return WarmModelPublished.newBuilder().setAverage(average).setVersion(version).setUri("file:///v" + version)
                .setSha256("00").setLineage("l").setStrategy("UNIFORM").setMembers(List.of()).setMemberCount(0)
                .setValidationAccuracy(0.7).setPublishedAt(Instant.parse("2026-12-03T00:00:00Z")).build();
    }
}
