package io.warmstream.platform;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The committer on the real embedded broker: what a fenced, an abortable and a good transaction leave behind. */
@ExtendWith(EmbeddedInfraExtension.class)
class ExactlyOnceCommitterTest {

    private static final ConsumerGroupMetadata NO_GROUP = new ConsumerGroupMetadata("unused");

    @Test
    void aFencedCommitterClosesItsProducerAndNothingItSentBecomesVisible(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        String topic = topic(settings);
        Supplier<Producer<String, byte[]>> sameId = producers(settings, "fencing-" + UUID.randomUUID(), Map.of());
        try (ExactlyOnceCommitter old = new ExactlyOnceCommitter("old", sameId, Duration.ofSeconds(5));
             ExactlyOnceCommitter successor = new ExactlyOnceCommitter("successor", sameId, Duration.ofSeconds(5))) {
            old.open();
            old.commit(List.of(record(topic, "before")), Map.of(), NO_GROUP, ExactlyOnceCommitter.Steps.NONE);
            assertNull(old.lastFailure());

            successor.open(); // same transactional id: the old producer is fenced
            assertThrows(KafkaException.class, () -> old.commit(List.of(record(topic, "zombie")), Map.of(), NO_GROUP,
                    ExactlyOnceCommitter.Steps.NONE));
            assertEquals(TransactionFailure.FENCED, old.lastFailure());
            assertFalse(old.isOpen(), "a fenced producer is closed, never reused");

            successor.commit(List.of(record(topic, "after")), Map.of(), NO_GROUP, ExactlyOnceCommitter.Steps.NONE);
            assertNull(successor.lastFailure());

            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> old.commit(List.of(), Map.of(),
                    NO_GROUP, ExactlyOnceCommitter.Steps.NONE));
            assertTrue(closed.getMessage().contains("open()"), closed.getMessage());
            assertEquals(TransactionFailure.BROKEN, old.lastFailure());
        }
        assertEquals(List.of("before", "after"), committedValues(kafka, topic, 2));
    }

    @Test
    void anAbortableFailureIsAbortedAndTheSameProducerCommitsTheNextTransaction(EmbeddedKafka kafka,
                                                                                EmbeddedRegistry registry) throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        String topic = topic(settings);
        List<String> steps = new ArrayList<>();
        ExactlyOnceCommitter.Steps recorder = new ExactlyOnceCommitter.Steps() {
            @Override
            public void recordsSent() {
                steps.add("sent");
            }
        };
        // A record over the producer's max.request.size fails the transaction, which can be aborted (not fenced).
        try (ExactlyOnceCommitter committer = new ExactlyOnceCommitter("abortable",
                producers(settings, "abortable-" + UUID.randomUUID(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4096)),
                Duration.ofSeconds(5))) {
            committer.open();
            assertThrows(KafkaException.class, () -> committer.commit(List.of(record(topic, "lost"),
                    record(topic, "x".repeat(8192))), Map.of(), NO_GROUP, recorder));
            assertEquals(TransactionFailure.ABORTABLE, committer.lastFailure());
            assertTrue(committer.isOpen(), "an aborted transaction keeps its producer");
            steps.clear(); // the failed send surfaces at flush or commit, whichever the client reaches first

            committer.commit(List.of(record(topic, "kept")), Map.of(), NO_GROUP, recorder);
            assertNull(committer.lastFailure());
            assertEquals(List.of("sent"), steps, "records sent and flushed before the commit");
        }
        assertEquals(List.of("kept"), committedValues(kafka, topic, 1));
    }

    private static String topic(KafkaSettings settings) throws Exception {
        String topic = "committer-" + UUID.randomUUID();
        try (Admin admin = settings.admin("committer-test")) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static Supplier<Producer<String, byte[]>> producers(KafkaSettings settings, String transactionalId,
                                                                Map<String, Object> extra) {
        return () -> {
            Map<String, Object> c = new java.util.HashMap<>(extra);
            c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            return new KafkaProducer<>(settings.producerConfig("committer-test-" + UUID.randomUUID(), c));
        };
    }

    private static ProducerRecord<String, byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, "k", value.getBytes(StandardCharsets.UTF_8));
    }

    /** What a read_committed consumer sees: polls until {@code expected} records or 20 s, then a little longer. */
    private static List<String> committedValues(EmbeddedKafka kafka, String topic, int expected) {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), "http://unused");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings.consumerConfig(null,
                "committer-test-reader", Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int quietPolls = 0;
            while (System.nanoTime() < deadline && (values.size() < expected || quietPolls < 2)) {
                int before = values.size();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
                quietPolls = values.size() >= expected && values.size() == before ? quietPolls + 1 : 0;
            }
        }
        return values;
    }
}
