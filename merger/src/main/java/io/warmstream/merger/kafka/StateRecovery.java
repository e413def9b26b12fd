package io.warmstream.merger.kafka;

import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.Events;
import io.warmstream.platform.KafkaSettings;
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
import java.util.TreeMap;
import java.util.UUID;

/**
 * Recovers an average's state from {@code warm.models}: reads the topic from the start to its last stable offset
 * with {@code read_committed}, and keeps the newest committed {@code WarmModelPublished} of the average, under either
 * of its keys: the average (served versions) or {@link Topics#withheldModelKey} (versions the quality gate withheld).
 * The newest of the two is the average the next checkpoint folds into; it names the served version, which stays in
 * its kept list. One producer writes both keys in order, so the last record read is the newest. A version whose
 * transaction was aborted (a merger killed before commit) is never seen, so the restarted merger resumes exactly where
 * the last commit left it. A tombstone (null value) under the average's key empties it (no members, nothing to fold
 * into) but keeps its numbering: the next version is the one after the newest before the tombstone, because scorers
 * install only versions above the one they serve and keep serving through a tombstone. One under the withheld key
 * is ignored (deleting an average means a tombstone for each key, the average's last).
 *
 * <p>Generations: it also keeps the newest record of each shared-head generation, the running average that
 * generation's next member folds into ({@link AverageState#foldBaseFor}).
 */
final class StateRecovery {

    /** The newest version overall, and the newest of each generation (the newest overall among them). */
    record Recovered(AverageState newest, Map<Integer, AverageState> generations) {
    }

    private StateRecovery() {
    }

    static Recovered recover(KafkaSettings kafka, String average, String strategy, Duration timeout) {
        Deserializer<WarmModelPublished> deserializer = kafka.serdes().valueDeserializer(WarmModelPublished.class);
        Map<String, Object> config = kafka.consumerConfig(null, "warm-merger-recovery-" + UUID.randomUUID(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        long deadline = System.nanoTime() + timeout.toNanos();
        AverageState state = AverageState.empty(average, strategy);
        Map<Integer, AverageState> generations = new TreeMap<>();
        String withheldKey = Topics.withheldModelKey(average);
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
                    boolean served = average.equals(r.key());
                    if (!served && !withheldKey.equals(r.key())) {
                        continue;
                    }
                    if (r.value() == null) {
                        if (served) {
                            state = afterTombstone(average, strategy, state.version());
                            generations.clear();
                        }
                    } else {
                        state = Events.state(deserializer.deserialize(r.topic(), r.headers(), r.value()));
                        generations.put(state.generation(), state);
                    }
                }
            }
        } finally {
            deserializer.close();
        }
        return new Recovered(state, generations);
    }

    /** An average with no members whose next version continues the numbering of the deleted one. */
    static AverageState afterTombstone(String average, String strategy, long lastVersion) {
        return new AverageState(average, lastVersion, null, null, null, strategy, List.of(), 0, null, null, 0, null,
                null, List.of(), List.of(), 0, null, 0);
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
