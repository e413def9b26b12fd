package io.warmstream.local;

import io.warmstream.platform.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a whole topic (committed records) in tests. */
final class TopicReader {

    private TopicReader() {
    }

    /** Keys starting with {@code prefix}, in partition then offset order, duplicates kept. */
    static List<String> keys(KafkaSettings kafka, String topic, String prefix) {
        List<String> keys = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(kafka, topic)) {
            if (r.key() != null && r.key().startsWith(prefix)) {
                keys.add(r.key());
            }
        }
        return keys;
    }

    /** Waits until at least {@code n} keys with the prefix are on the topic; returns them. */
    static List<String> awaitKeys(KafkaSettings kafka, String topic, String prefix, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> keys = keys(kafka, topic, prefix);
        while (keys.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(500);
            keys = keys(kafka, topic, prefix);
        }
        return keys;
    }

    /** Decoded values of the whole topic. */
    static <T> List<T> values(KafkaSettings kafka, String topic, Deserializer<T> deserializer) {
        List<T> values = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records(kafka, topic)) {
            if (r.value() != null) {
                values.add(deserializer.deserialize(r.topic(), r.headers(), r.value()));
            }
        }
        return values;
    }

    /** Waits until the decoded values contain one matching {@code wanted}; returns all values read last. */
    static <T> List<T> awaitValue(KafkaSettings kafka, String topic, Deserializer<T> deserializer, Predicate<T> wanted,
                                  Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> values = values(kafka, topic, deserializer);
            if (values.stream().anyMatch(wanted) || System.nanoTime() > deadline) {
                return values;
            }
            Thread.sleep(1000);
        }
    }

    static List<ConsumerRecord<String, byte[]>> records(KafkaSettings kafka, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "test-reader",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 60 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
