package io.warmstream.local.chaos;

import io.warmstream.events.TrainingRunEvent;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the harness watches while faults happen, to pick their moments and to see recovery: training runs in
 * progress and the arrival of checkpoints and versions as they are produced (read_uncommitted: a version is seen
 * before its transaction commits, the moment to kill the merger mid-transaction), and validated label ids as they
 * are committed (read_committed), to see labels flow again after a fault.
 */
final class LiveEvents implements AutoCloseable {

    private final KafkaSettings kafka;
    private final Thread uncommitted;
    private final Thread committed;
    private volatile boolean stopping;
    /** A run in progress: its worker and when it last said so. */
    record Run(String worker, long lastEventAt) {
    }

    /** Job id to its run, for runs STARTED and not yet FINISHED, FAILED or SKIPPED. */
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final AtomicLong checkpointsSeen = new AtomicLong();
    private final AtomicLong versionsSeen = new AtomicLong();
    private volatile long lastCheckpointAt;
    private volatile long lastVersionAt;
    /** Label id to the time it was first seen committed on warm.preferences. */
    private final Map<String, Long> labelsSeen = new ConcurrentHashMap<>();

    LiveEvents(KafkaSettings kafka) {
        this.kafka = kafka;
        this.uncommitted = new Thread(() -> tail("read_uncommitted",
                List.of(Topics.TRAINING_RUNS, Topics.CHECKPOINTS, Topics.MODELS), this::onUncommitted), "chaos-live-uncommitted");
        this.committed = new Thread(() -> tail("read_committed", List.of(Topics.PREFERENCES), this::onCommitted),
                "chaos-live-committed");
        uncommitted.setDaemon(true);
        committed.setDaemon(true);
    }

    void start() {
        uncommitted.start();
        committed.start();
    }

    /** Jobs being trained, with their worker id and last event time (a killed worker's run stays until redone). */
    Map<String, Run> runningJobs() {
        return Map.copyOf(running);
    }

    long checkpointsSeen() {
        return checkpointsSeen.get();
    }

    long versionsSeen() {
        return versionsSeen.get();
    }

    long lastCheckpointAt() {
        return lastCheckpointAt;
    }

    long lastVersionAt() {
        return lastVersionAt;
    }

    boolean labelSeen(String id) {
        return labelsSeen.containsKey(id);
    }

    Set<String> labelIdsSeen() {
        return labelsSeen.keySet();
    }

    /**
     * Decodes a run event without the registry (Confluent framing: magic byte and 4-byte schema id, then Avro with
     * this build's schema), so watching goes on while the registry is down and its client logs nothing.
     */
    static TrainingRunEvent decodeRun(byte[] value) throws java.io.IOException {
        org.apache.avro.specific.SpecificDatumReader<TrainingRunEvent> reader =
                new org.apache.avro.specific.SpecificDatumReader<>(TrainingRunEvent.class);
        return reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
    }

    private void onUncommitted(ConsumerRecord<String, byte[]> r) {
        switch (r.topic()) {
            case Topics.CHECKPOINTS -> {
                checkpointsSeen.incrementAndGet();
                lastCheckpointAt = System.currentTimeMillis();
            }
            case Topics.MODELS -> {
                versionsSeen.incrementAndGet();
                lastVersionAt = System.currentTimeMillis();
            }
            case Topics.TRAINING_RUNS -> {
                try {
                    TrainingRunEvent e = decodeRun(r.value());
                    switch (e.getType()) {
                        case "STARTED", "PROGRESS" -> running.put(e.getJobId(), new Run(e.getWorker(), System.currentTimeMillis()));
                        default -> running.remove(e.getJobId());
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // only for choosing moments: an event that does not decode is skipped
                }
            }
            default -> { }
        }
    }

    private void onCommitted(ConsumerRecord<String, byte[]> r) {
        if (r.key() != null) {
            labelsSeen.putIfAbsent(r.key(), System.currentTimeMillis());
        }
    }

    private void tail(String isolation, List<String> topics, Consumer<ConsumerRecord<String, byte[]>> handler) {
        while (!stopping) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null,
                    "chaos-live-" + isolation, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation)))) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (String t : topics) {
                    consumer.partitionsFor(t, Duration.ofSeconds(30))
                            .forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (!stopping) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        handler.accept(r);
                    }
                }
                return;
            } catch (RuntimeException e) {
                // broker restarting: read again from the start (the handlers are idempotent)
                sleep(1000);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            uncommitted.join(5000);
            committed.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
