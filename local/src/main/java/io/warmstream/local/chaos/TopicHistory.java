package io.warmstream.local.chaos;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what the services committed (read_committed, every topic from its start) after a run has quiesced. */
final class TopicHistory {

    final List<String> preferenceKeys = new ArrayList<>();
    final List<String> jobIds = new ArrayList<>();
    final Map<String, List<String>> jobEndings = new HashMap<>();
    final List<String> checkpointJobIds = new ArrayList<>();
    final List<ChaosHistory.Rejection> rejections = new ArrayList<>();
    final List<ChaosHistory.Version> versions = new ArrayList<>();

    private TopicHistory() {
    }

    static TopicHistory read(KafkaSettings kafka) {
        TopicHistory h = new TopicHistory();
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.PREFERENCES)) {
            h.preferenceKeys.add(r.key());
        }
        Deserializer<TrainingJob> jobs = kafka.serdes().valueDeserializer(TrainingJob.class);
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.TRAINING_JOBS)) {
            h.jobIds.add(jobs.deserialize(r.topic(), r.headers(), r.value()).getJobId());
        }
        Deserializer<TrainingRunEvent> runs = kafka.serdes().valueDeserializer(TrainingRunEvent.class);
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.TRAINING_RUNS)) {
            TrainingRunEvent e = runs.deserialize(r.topic(), r.headers(), r.value());
            if (e.getType().equals("FAILED") || e.getType().equals("SKIPPED")) {
                h.ending(e.getJobId(), e.getType());
            }
        }
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.TRAINING_JOBS_DLQ)) {
            h.ending(r.key(), "dlq");
        }
        Deserializer<RewardModelCheckpoint> checkpoints = kafka.serdes().valueDeserializer(RewardModelCheckpoint.class);
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.CHECKPOINTS)) {
            String job = checkpoints.deserialize(r.topic(), r.headers(), r.value()).getJobId();
            h.checkpointJobIds.add(job);
            h.ending(job, "checkpoint");
        }
        Deserializer<CheckpointRejected> rejected = kafka.serdes().valueDeserializer(CheckpointRejected.class);
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.CHECKPOINTS_REJECTED)) {
            CheckpointRejected c = rejected.deserialize(r.topic(), r.headers(), r.value());
            h.rejections.add(new ChaosHistory.Rejection(c.getJobId(), c.getReasonCode(), c.getDetail()));
        }
        Deserializer<WarmModelPublished> models = kafka.serdes().valueDeserializer(WarmModelPublished.class);
        for (ConsumerRecord<String, byte[]> r : records(kafka, Topics.MODELS)) {
            if (r.value() == null) continue; // a tombstone
            WarmModelPublished v = models.deserialize(r.topic(), r.headers(), r.value());
            List<String> members = v.getMembers().stream().map(m -> m.getJobId()).toList();
            h.versions.add(new ChaosHistory.Version(r.key(), v.getVersion(), members, v.getRollbackOf()));
        }
        return h;
    }

    private void ending(String job, String kind) {
        jobEndings.computeIfAbsent(job, k -> new ArrayList<>()).add(kind);
    }

    static List<ConsumerRecord<String, byte[]>> records(KafkaSettings kafka, String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "chaos-history",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000)))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 120 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }
}
