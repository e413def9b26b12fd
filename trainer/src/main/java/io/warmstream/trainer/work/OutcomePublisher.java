package io.warmstream.trainer.work;

import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.platform.ExactlyOnceCommitter;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.TransactionFailure;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes a job's outcome and commits the job's offset for the worker group in one Kafka transaction, so that
 * both happen or neither does. Used by the worker's poll thread only.
 */
final class OutcomePublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomePublisher.class);

    private final WorkerSettings settings;
    private final KafkaSettings kafka;
    private final Serializer<RewardModelCheckpoint> checkpoints;
    private final Serializer<TrainingRunEvent> runEvents;
    private final ExactlyOnceCommitter committer;

    OutcomePublisher(WorkerSettings settings, KafkaSettings kafka) {
        this.settings = settings;
        this.kafka = kafka;
        this.checkpoints = kafka.serdes().valueSerializer(RewardModelCheckpoint.class);
        this.runEvents = kafka.serdes().valueSerializer(TrainingRunEvent.class);
        this.committer = new ExactlyOnceCommitter("outcomes of worker " + settings.workerId(), this::newProducer,
                settings.closeTimeout());
    }

    /** Registers the transactional id, aborting what a predecessor with the same worker id left open. */
    void start() {
        committer.open();
    }

    /** The checkpoint event (keyed by average) and FINISHED; encoding may fail while the registry is unreachable. */
    List<ProducerRecord<String, byte[]>> finished(RewardModelCheckpoint cp, TrainingRunEvent finished) {
        return List.of(new ProducerRecord<>(settings.checkpointsTopic(), cp.getAverage(),
                checkpoints.serialize(settings.checkpointsTopic(), cp)), run(finished));
    }

    List<ProducerRecord<String, byte[]>> failed(TrainingRunEvent failed) {
        return List.of(run(failed));
    }

    List<ProducerRecord<String, byte[]>> skipped(TrainingRunEvent skipped) {
        return List.of(run(skipped));
    }

    private ProducerRecord<String, byte[]> run(TrainingRunEvent e) {
        return new ProducerRecord<>(settings.runsTopic(), e.getJobId(), runEvents.serialize(settings.runsTopic(), e));
    }

    /**
     * Sends {@code records} and commits {@code offset + 1} of {@code tp} for {@code group} in one transaction.
     * False if it failed (aborted: nothing is visible); the caller decides whether to try again.
     */
    boolean commit(TopicPartition tp, long offset, ConsumerGroupMetadata group, List<ProducerRecord<String, byte[]>> records) {
        long started = System.nanoTime();
        try {
            committer.commit(records, Map.of(tp, new OffsetAndMetadata(offset + 1)), group, ExactlyOnceCommitter.Steps.NONE);
            long ms = (System.nanoTime() - started) / 1_000_000;
            if (ms > 2_000) {
                LOG.warn("committing the outcome of {}@{} took {} ms", tp, offset, ms);
            }
            return true;
        } catch (KafkaException | IllegalStateException e) {
            if (committer.lastFailure() == TransactionFailure.ABORTABLE) {
                LOG.warn("committing the outcome of {}@{} failed: {}", tp, offset, e.toString());
            } else {
                LOG.warn("outcome producer of {} is {} ({}); recreating it", settings.workerId(),
                        committer.lastFailure() == TransactionFailure.FENCED ? "fenced" : "broken", e.toString());
                renew();
            }
        }
        return false;
    }

    /** A new producer with the same transactional id (it fences the old one); if it cannot start, the next commit retries. */
    private void renew() {
        try {
            committer.open();
        } catch (KafkaException e) {
            LOG.warn("outcome producer of {} cannot start its transactions yet: {}", settings.workerId(), e.toString());
        }
    }

    private Producer<String, byte[]> newProducer() {
        Map<String, Object> extra = new HashMap<>();
        // Stable per worker id: a restarted worker with the same id aborts its predecessor's open transaction at once.
        extra.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "warm-trainer-" + settings.workerId());
        extra.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        extra.putAll(settings.producerOverrides());
        return new KafkaProducer<>(kafka.producerConfig("warm-trainer-outcomes-" + settings.workerId(), extra));
    }

    @Override
    public void close() {
        committer.close();
    }
}
