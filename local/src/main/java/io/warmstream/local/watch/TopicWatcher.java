package io.warmstream.local.watch;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.DriftReport;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the system's topics by name and tells the {@link Account} what happens. First it reads what the topics
 * already hold, quietly, to print one "resume" line; then it follows new records live.
 */
public final class TopicWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicWatcher.class);
    static final List<String> WATCHED = List.of(Topics.PREFERENCES, Topics.PREFERENCES_DLQ, Topics.TRAINING_JOBS,
            Topics.TRAINING_RUNS, Topics.CHECKPOINTS, Topics.CHECKPOINTS_REJECTED, Topics.MODELS, Topics.DRIFT, Topics.EVALUATIONS);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Account account;
    private final Deserializer<TrainingJob> jobs;
    private final Deserializer<TrainingRunEvent> runs;
    private final Deserializer<RewardModelCheckpoint> checkpoints;
    private final Deserializer<CheckpointRejected> rejections;
    private final Deserializer<WarmModelPublished> models;
    private final Deserializer<DriftReport> drift;
    private final Deserializer<ModelEvaluation> evaluations;
    private final Thread thread;
    private volatile boolean stopping;
    private boolean started;

    public TopicWatcher(KafkaSettings kafka, Account account) {
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(null, "warm-live-account",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
        this.account = account;
        EventSerdes serdes = kafka.serdes();
        this.jobs = serdes.valueDeserializer(TrainingJob.class);
        this.runs = serdes.valueDeserializer(TrainingRunEvent.class);
        this.checkpoints = serdes.valueDeserializer(RewardModelCheckpoint.class);
        this.rejections = serdes.valueDeserializer(CheckpointRejected.class);
        this.models = serdes.valueDeserializer(WarmModelPublished.class);
        this.drift = serdes.valueDeserializer(DriftReport.class);
        this.evaluations = serdes.valueDeserializer(ModelEvaluation.class);
        this.thread = new Thread(this::run, "warm-live-account");
        this.thread.setDaemon(true);
    }

    public synchronized void start() {
        started = true;
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : WATCHED) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            catchUp(partitions);
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    live(r);
                }
                account.tick();
            }
        } catch (WakeupException e) {
            if (!stopping) {
                LOG.error("live account stopped unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("live account failed", e);
            account.note("error", "the live account stopped: " + e + " (see the log file)");
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Reads up to the end offsets as of now, counting instead of printing. */
    private void catchUp(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        long labels = 0, dlq = 0, jobCount = 0, checkpointCount = 0;
        WarmModelPublished latest = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!stopping && behind(partitions, ends) && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                switch (r.topic()) {
                    case Topics.PREFERENCES -> labels++;
                    case Topics.PREFERENCES_DLQ -> dlq++;
                    case Topics.TRAINING_JOBS -> jobCount++;
                    case Topics.CHECKPOINTS -> checkpointCount++;
                    case Topics.MODELS -> {
                        WarmModelPublished m = LenientDecoding.decodeOrNull(models, r, LOG);
                        if (m != null && (latest == null || m.getVersion() > latest.getVersion())) {
                            latest = m;
                        }
                    }
                    default -> {
                        // Runs, rejections and drift of the past are not summarised.
                    }
                }
            }
        }
        account.history(labels, dlq, jobCount, checkpointCount, latest);
    }

    private boolean behind(List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                return true;
            }
        }
        return false;
    }

    private void live(ConsumerRecord<String, byte[]> r) {
        switch (r.topic()) {
            case Topics.PREFERENCES -> account.labelsValidated(1);
            case Topics.PREFERENCES_DLQ -> account.deadLettered(DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.REASON));
            case Topics.TRAINING_JOBS -> ifDecoded(jobs, r, account::job);
            case Topics.TRAINING_RUNS -> ifDecoded(runs, r, account::run);
            case Topics.CHECKPOINTS -> ifDecoded(checkpoints, r, account::checkpoint);
            case Topics.CHECKPOINTS_REJECTED -> ifDecoded(rejections, r, account::rejected);
            case Topics.MODELS -> ifDecoded(models, r, account::model);
            case Topics.DRIFT -> ifDecoded(drift, r, account::drift);
            case Topics.EVALUATIONS -> ifDecoded(evaluations, r, account::evaluation);
            default -> {
            }
        }
    }

    private static <T> void ifDecoded(Deserializer<T> d, ConsumerRecord<String, byte[]> r, java.util.function.Consumer<T> then) {
        T value = LenientDecoding.decodeOrNull(d, r, LOG);
        if (value != null) {
            then.accept(value);
        }
    }

    @Override
    public synchronized void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (!started) {
            consumer.close(Duration.ofSeconds(5));
            return;
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
