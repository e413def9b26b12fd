package io.warmstream.local.watch;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.evaluation.PairedChange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A census of the system's topics, read from the beginning: committed records per topic, every WARM version still
 * on the (compacted) models topic, the checkpoints, and the training runs not yet finished.
 *
 * @param records         committed records per topic, in catalogue order (transaction markers are not counted)
 * @param uniqueLabelIds  distinct keys (label ids) on the validated label topic
 * @param versions        WARM versions on the models topic, by average then version, withheld ones included
 * @param checkpoints     every checkpoint, in topic order
 * @param activeRuns      the newest event of each run whose last event is STARTED or PROGRESS
 * @param evaluations     test-set figures of versions and members ({@code warm.evaluations}), in topic order
 */
public record ClusterStatus(Map<String, Long> records, long uniqueLabelIds, List<WarmModelPublished> versions,
                            List<RewardModelCheckpoint> checkpoints, List<TrainingRunEvent> activeRuns,
                            List<ModelEvaluation> evaluations) {

    /** The newest test-set figures of one version ({@code jobId == null}) or member, by test set name. */
    public Map<String, ModelEvaluation> evaluationsOf(String average, long version, String jobId) {
        Map<String, ModelEvaluation> out = new LinkedHashMap<>();
        for (ModelEvaluation e : evaluations) {
            boolean member = e.getSubject() == EvaluationSubject.MEMBER;
            if (!e.getAverage().equals(average) || member != (jobId != null)) {
                continue;
            }
            if (member ? jobId.equals(e.getJobId()) : e.getVersion() == version) {
                out.put(e.getTestSet(), e);
            }
        }
        return out;
    }

    /**
     * By test set, a version's change against the newest earlier version of its average judged on the same set,
     * paired per test pair; empty when either judgement came without per-pair outcomes (an older judge).
     */
    public Map<String, PairedChange> changesOf(String average, long version) {
        Map<String, PairedChange> out = new LinkedHashMap<>();
        evaluationsOf(average, version, null).forEach((set, newer) -> {
            ModelEvaluation before = null;
            for (ModelEvaluation e : evaluations) {
                if (e.getSubject() == EvaluationSubject.VERSION && e.getAverage().equals(average)
                        && e.getTestSet().equals(set) && e.getVersion() < version
                        && (before == null || e.getVersion() >= before.getVersion())) {
                    before = e;
                }
            }
            if (before != null) {
                PairedChange.between(newer, before).ifPresent(c -> out.put(set, c));
            }
        });
        return out;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterStatus.class);

    /** The newest served version of each average (versions the merger's quality gate withheld are not served). */
    public Map<String, WarmModelPublished> latest() {
        Map<String, WarmModelPublished> latest = new LinkedHashMap<>();
        for (WarmModelPublished m : versions) {
            if (!m.getWithheld()) {
                latest.merge(m.getAverage(), m, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
            }
        }
        return latest;
    }

    public long count(String topic) {
        return records.getOrDefault(topic, 0L);
    }

    /** Reads every topic of the catalogue to its current end; fails if that takes longer than {@code timeout}. */
    public static ClusterStatus read(KafkaSettings kafka, Duration timeout) {
        EventSerdes serdes = kafka.serdes();
        Deserializer<WarmModelPublished> models = serdes.valueDeserializer(WarmModelPublished.class);
        Deserializer<RewardModelCheckpoint> checkpoints = serdes.valueDeserializer(RewardModelCheckpoint.class);
        Deserializer<TrainingRunEvent> runs = serdes.valueDeserializer(TrainingRunEvent.class);
        Deserializer<ModelEvaluation> judged = serdes.valueDeserializer(ModelEvaluation.class);
        List<ModelEvaluation> evaluations = new ArrayList<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Set<String> labelIds = new HashSet<>();
        List<WarmModelPublished> versions = new ArrayList<>();
        List<RewardModelCheckpoint> ckpts = new ArrayList<>();
        Map<String, TrainingRunEvent> lastRunEvent = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "warm-status",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicSpec spec : Topics.all()) {
                counts.put(spec.name(), 0L);
                consumer.partitionsFor(spec.name(), timeout)
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (behind(consumer, partitions, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading the topics took longer than " + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() >= ends.get(tp)) {
                        continue; // arrived after we started: not part of this census
                    }
                    counts.merge(r.topic(), 1L, Long::sum);
                    switch (r.topic()) {
                        case Topics.PREFERENCES -> labelIds.add(r.key());
                        case Topics.MODELS -> add(versions, LenientDecoding.decodeOrNull(models, r, LOG));
                        case Topics.CHECKPOINTS -> add(ckpts, LenientDecoding.decodeOrNull(checkpoints, r, LOG));
                        case Topics.EVALUATIONS -> add(evaluations, LenientDecoding.decodeOrNull(judged, r, LOG));
                        case Topics.TRAINING_RUNS -> {
                            TrainingRunEvent e = LenientDecoding.decodeOrNull(runs, r, LOG);
                            if (e != null) {
                                lastRunEvent.put(e.getJobId(), e);
                            }
                        }
                        default -> {
                        }
                    }
                }
            }
        }
        versions.sort(Comparator.comparing(WarmModelPublished::getAverage).thenComparingLong(WarmModelPublished::getVersion));
        List<TrainingRunEvent> active = lastRunEvent.values().stream()
                .filter(e -> e.getType().equals("STARTED") || e.getType().equals("PROGRESS")).toList();
        return new ClusterStatus(counts, labelIds.size(), versions, ckpts, active, evaluations);
    }

    private static boolean behind(KafkaConsumer<?, ?> consumer, List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                return true;
            }
        }
        return false;
    }

    private static <T> void add(List<T> list, T value) {
        if (value != null) {
            list.add(value);
        }
    }
}
