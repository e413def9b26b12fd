package io.warmstream.local.feed;

import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Finds the highest simulator label index already written to the raw label topic, so a demo that stopped between
 * ingest's acknowledgement and saving {@link FeedState} does not send those labels again. Only keys (label ids)
 * are read, from the tail of each partition.
 */
public final class ResumePoint {

    /** How far back each partition is read; far more than one batch of a demo. */
    static final int TAIL = 5_000;

    private ResumePoint() {
    }

    /** The highest index of an id {@code prefix + index} in the raw topic's tail, or -1 if there is none. */
    public static long highestIndex(KafkaSettings kafka, String prefix) {
        Map<String, Object> config = kafka.consumerConfig(null, "warm-demo-resume", Map.of());
        long highest = -1;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<PartitionInfo> infos = consumer.partitionsFor(Topics.PREFERENCES_RAW, Duration.ofSeconds(30));
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            long remaining = 0;
            for (TopicPartition tp : partitions) {
                long from = Math.max(starts.get(tp), ends.get(tp) - TAIL);
                consumer.seek(tp, from);
                remaining += ends.get(tp) - from;
            }
            // Transaction markers take offsets too, so "done" is judged by positions, not by counting records.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (remaining > 0 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    highest = Math.max(highest, indexOf(r.key(), prefix));
                }
                remaining = 0;
                for (TopicPartition tp : partitions) {
                    remaining += Math.max(0, ends.get(tp) - consumer.position(tp));
                }
            }
            if (remaining > 0) {
                throw new IllegalStateException("could not read the tail of " + Topics.PREFERENCES_RAW + " within 60 s");
            }
        }
        return highest;
    }

    static long indexOf(String key, String prefix) {
        if (key == null || !key.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
