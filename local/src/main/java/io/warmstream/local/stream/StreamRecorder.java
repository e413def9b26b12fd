package io.warmstream.local.stream;

import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Records what a stream run produces, as any monitoring consumer would: the published versions
 * ({@code warm.models}), the checkpoints ({@code warm.checkpoints}) and the test-set judge's figures
 * ({@code warm.evaluations}), read committed, from the beginning of a fresh stack.
 */
final class StreamRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRecorder.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<WarmModelPublished> models;
    private final Deserializer<ModelEvaluation> evaluations;
    private final Deserializer<RewardModelCheckpoint> checkpoints;
    private final Deserializer<TrainingRunEvent> runs;
    private final JobQueue queue = new JobQueue();
    private final Thread thread;
    private final Map<Long, WarmModelPublished> versions = new LinkedHashMap<>();
    private final List<ModelEvaluation> judged = new ArrayList<>();
    private final List<RewardModelCheckpoint> folded = new ArrayList<>();
    private final List<Map<String, Object>> rejected = new ArrayList<>();
    private final org.apache.kafka.common.serialization.Deserializer<io.warmstream.events.CheckpointRejected> rejections;
    private volatile boolean stopping;
    private volatile long lastActivityAt;

    StreamRecorder(KafkaSettings kafka) {
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "warm-stream-recorder",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
        EventSerdes serdes = kafka.serdes();
        this.models = serdes.valueDeserializer(WarmModelPublished.class);
        this.evaluations = serdes.valueDeserializer(ModelEvaluation.class);
        this.checkpoints = serdes.valueDeserializer(RewardModelCheckpoint.class);
        this.runs = serdes.valueDeserializer(TrainingRunEvent.class);
        this.rejections = serdes.valueDeserializer(io.warmstream.events.CheckpointRejected.class);
        this.thread = new Thread(this::run, "warm-stream-recorder");
        this.thread.setDaemon(true);
        this.lastActivityAt = System.currentTimeMillis();
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.MODELS, Topics.EVALUATIONS, Topics.CHECKPOINTS, Topics.TRAINING_JOBS,
                    Topics.TRAINING_RUNS, Topics.CHECKPOINTS_REJECTED)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    read(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("stream recorder stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            synchronized (this) {
                switch (r.topic()) {
                    case Topics.MODELS -> {
                        WarmModelPublished m = models.deserialize(r.topic(), r.headers(), r.value());
                        versions.put(m.getVersion(), m);
                    }
                    case Topics.EVALUATIONS -> {
                        ModelEvaluation e = evaluations.deserialize(r.topic(), r.headers(), r.value());
                        judged.add(e);
                    }
                    case Topics.CHECKPOINTS -> folded.add(checkpoints.deserialize(r.topic(), r.headers(), r.value()));
                    case Topics.TRAINING_JOBS -> queue.planned(r.key());
                    case Topics.TRAINING_RUNS -> queue.run(runs.deserialize(r.topic(), r.headers(), r.value()));
                    case Topics.CHECKPOINTS_REJECTED -> {
                        io.warmstream.events.CheckpointRejected c = rejections.deserialize(r.topic(), r.headers(), r.value());
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("jobId", c.getJobId());
                        row.put("reason", c.getReasonCode());
                        row.put("detail", c.getDetail());
                        rejected.add(row);
                    }
                    default -> {
                    }
                }
                // any step of the pipeline counts: a slow trainer's progress events keep the run going
                lastActivityAt = System.currentTimeMillis();
            }
        } catch (RuntimeException e) {
            LOG.warn("stream recorder skips {}@{}: {}", r.topic(), r.offset(), e.toString());
        }
    }

    synchronized Map<Long, WarmModelPublished> versions() {
        return new LinkedHashMap<>(versions);
    }

    synchronized List<ModelEvaluation> evaluations() {
        return List.copyOf(judged);
    }

    synchronized List<RewardModelCheckpoint> checkpoints() {
        return List.copyOf(folded);
    }

    /** Checkpoints the merger refused, with its reason code and detail, in the order it refused them. */
    synchronized List<Map<String, Object>> rejected() {
        return List.copyOf(rejected);
    }

    /** The largest training-label count among judged versions (how much of the stream the served model has seen). */
    synchronized long newestJudgedTrainLabels() {
        return judged.stream().filter(e -> e.getSubject() == EvaluationSubject.VERSION)
                .mapToLong(ModelEvaluation::getTrainLabels).max().orElse(0);
    }

    /**
     * Whether every member of every judged version has been judged too. The judge takes a version before its
     * members, so a run that stopped at its last version's judgement left that version's newest member out of the
     * members' figures.
     */
    synchronized boolean membersOfJudgedVersionsJudged() {
        return membersJudged(versions, judged);
    }

    static boolean membersJudged(Map<Long, WarmModelPublished> versions, List<ModelEvaluation> judged) {
        Set<String> judgedMembers = new HashSet<>();
        Set<Long> judgedVersions = new HashSet<>();
        for (ModelEvaluation e : judged) {
            if (e.getSubject() == EvaluationSubject.MEMBER) {
                judgedMembers.add(e.getJobId());
            } else {
                judgedVersions.add(e.getVersion());
            }
        }
        return judgedVersions.stream().map(versions::get).filter(Objects::nonNull)
                .flatMap(v -> v.getMembers().stream()).allMatch(m -> judgedMembers.contains(m.getJobId()));
    }

    /** The most jobs that were ever planned and not yet started, and planned and not yet ended. */
    synchronized Map<String, Integer> queuePeaks() {
        return Map.of("maxQueued", queue.maxQueued(), "maxPending", queue.maxPending());
    }

    /** When the pipeline last did anything: a job planned, training progress, a checkpoint, a version, a judgement. */
    long lastActivityAt() {
        return lastActivityAt;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
