package io.warmstream.merger.kafka;

import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.Events;
import io.warmstream.schemas.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Recovers an average's state from {@code warm.models}: reads the topic from the start to its last stable offset
 * with {@code read_committed}, and keeps the newest committed {@code WarmModelPublished} keyed by the average. A
 * version whose transaction was aborted (a merger killed before commit) is never seen, so the restarted merger
 * resumes exactly where the last commit left it. A tombstone (null value) for the average resets it to empty.
 */
final class StateRecovery {

    private StateRecovery() {
    }

    static AverageState recover(KafkaSettings kafka, String average, String strategy, Duration timeout) {
        Deserializer<WarmModelPublished> deserializer = kafka.serdes().valueDeserializer(WarmModelPublished.class);
        Map<String, Object> config = kafka.consumerConfig(null, "warm-merger-recovery-" + UUID.randomUUID(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        long deadline = System.nanoTime() + timeout.toNanos();
        AverageState state = AverageState.empty(average, strategy);
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(Topics.MODELS, timeout)) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // With read_committed these are the last stable offsets: aborted or open transactions lie beyond them.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("recovering average " + average + " from " + Topics.MODELS
                            + " did not reach the end " + end + " within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!average.equals(r.key())) {
                        continue;
                    }
                    if (r.value() == null) {
                        state = AverageState.empty(average, strategy);
                    } else {
                        state = Events.state(deserializer.deserialize(r.topic(), r.headers(), r.value()));
                    }
                }
            }
        } finally {
            deserializer.close();
        }
        return state;
    }

    private static boolean reached(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
