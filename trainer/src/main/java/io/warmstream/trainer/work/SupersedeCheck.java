package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.platform.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Before a job starts: is there a newer job of its average that covers its labels ({@link Supersession})? Reads
 * the jobs topic itself, every partition (a newer job is usually on another worker's partition), from the job's
 * creation time to the current end, committed records only: queued, running and finished jobs alike, so an old job
 * reached after a newer one already trained is skipped too.
 *
 * <p>Where to start comes from the record timestamps: the planner stamps a job's record with its {@code createdAt},
 * so every newer job sits at or after {@code offsetsForTimes(createdAt)}. A minute earlier is read to allow for
 * clocks that differ; older jobs found there are ignored by the rule. Any trouble reading answers "none": a job
 * that could have been skipped is trained, which costs time, never labels.
 */
final class SupersedeCheck implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SupersedeCheck.class);
    private static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<TrainingJob> jobs;
    private final String topic;
    private final Duration timeout;

    SupersedeCheck(KafkaSettings kafka, String clientId, String jobsTopic, Duration timeout) {
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(null, clientId, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)));
        this.jobs = kafka.serdes().valueDeserializer(TrainingJob.class);
        this.topic = jobsTopic;
        this.timeout = timeout;
    }

    /** The newest job that supersedes {@code job}, or empty (also when the jobs topic could not be read). */
    Optional<TrainingJob> supersederOf(TrainingJob job, BooleanSupplier cancelled) {
        try {
            return Supersession.supersederOf(job, jobsSince(job.getCreatedAt().minus(CLOCK_SLACK).toEpochMilli(),
                    cancelled));
        } catch (KafkaException | IllegalStateException e) {
            LOG.warn("job {}: cannot look for newer jobs on {} ({}); running it", job.getJobId(), topic, e.toString());
            return Optional.empty();
        }
    }

    /** Runnable jobs with record timestamps from {@code sinceMs} on, up to the end of every partition now. */
    private List<TrainingJob> jobsSince(long sinceMs, BooleanSupplier cancelled) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, sinceMs));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
        Map<TopicPartition, Long> toRead = new HashMap<>();
        starts.forEach((tp, start) -> {
            if (start != null && start.offset() < ends.get(tp)) {
                toRead.put(tp, ends.get(tp));
            }
        });
        consumer.assign(toRead.keySet());
        toRead.keySet().forEach(tp -> consumer.seek(tp, starts.get(tp).offset()));
        List<TrainingJob> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (toRead.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                throw new IllegalStateException("reading " + topic + " to " + toRead + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.offset() < toRead.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L)) {
                    decode(r).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** A runnable job, or empty: what cannot be decoded or would be dead-lettered supersedes nothing. */
    private Optional<TrainingJob> decode(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return Optional.empty();
        }
        try {
            TrainingJob job = jobs.deserialize(r.topic(), r.headers(), r.value());
            return job == null || JobCheck.problem(job) != null ? Optional.empty() : Optional.of(job);
        } catch (SerializationException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
