package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.RegistryOutage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Reads exactly a job's offset ranges back from the label topic (assign and seek, committed records only), in the
 * job's range order and offset order, so every worker sees the same labels in the same order.
 * Not thread-safe: one reader per training thread.
 */
public final class JobDataReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobDataReader.class);

    /**
     * The labels of a job, how many records in its ranges could not be decoded (skipped), and the newest record
     * time among them (when the newest label reached the topic; 0 for none): where freshness is measured from.
     */
    public record JobData(List<PreferenceLabel> labels, int undecodable, long newestRecordMillis) {

        public JobData(List<PreferenceLabel> labels, int undecodable) {
            this(labels, undecodable, 0L);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<PreferenceLabel> labels;
    private final Duration timeout;
    private long newest;

    public JobDataReader(KafkaSettings kafka, String clientId, Duration timeout) {
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(null, clientId, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000)));
        this.labels = kafka.serdes().valueDeserializer(PreferenceLabel.class);
        this.timeout = timeout;
    }

    /**
     * The labels in {@code ranges}. {@link DataGoneException} if a range starts before the log's first offset
     * (retention deleted it) or its end is not readable within the timeout; {@link RegistryUnavailableException}
     * if labels cannot be decoded because the registry is down (undecodable labels are skipped and counted).
     */
    public JobData read(List<OffsetRange> ranges, BooleanSupplier cancelled) throws DataGoneException {
        List<PreferenceLabel> out = new ArrayList<>();
        int undecodable = 0;
        newest = 0;
        for (OffsetRange range : ranges) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled while reading labels");
            }
            undecodable += readRange(range, out, cancelled);
        }
        return new JobData(List.copyOf(out), undecodable, newest);
    }

    private int readRange(OffsetRange range, List<PreferenceLabel> out, BooleanSupplier cancelled)
            throws DataGoneException {
        if (range.getEndOffset() <= range.getStartOffset()) {
            return 0;
        }
        TopicPartition tp = new TopicPartition(range.getTopic(), range.getPartition());
        consumer.assign(List.of(tp));
        Long logStart;
        try {
            logStart = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new DataGoneException(tp + " did not answer within " + timeout.toSeconds() + " s (missing topic or partition?)");
        }
        if (logStart == null) {
            throw new DataGoneException(tp + " does not exist");
        }
        if (logStart > range.getStartOffset()) {
            throw new DataGoneException("labels " + describe(range) + " are gone: the log of " + tp + " now starts at offset "
                    + logStart + " (deleted by retention or deleteRecords)");
        }
        consumer.seek(tp, range.getStartOffset());
        long deadline = System.nanoTime() + timeout.toNanos();
        int undecodable = 0;
        while (consumer.position(tp) < range.getEndOffset()) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("cancelled while reading labels");
            }
            if (System.nanoTime() > deadline) {
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                throw new DataGoneException("labels " + describe(range) + " are not readable: reached offset "
                        + consumer.position(tp) + " of " + tp + " (readable end " + end + ") within " + timeout.toSeconds() + " s");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.offset() >= range.getEndOffset()) {
                    break;
                }
                newest = Math.max(newest, r.timestamp());
                try {
                    PreferenceLabel label = labels.deserialize(r.topic(), r.headers(), r.value());
                    if (label == null) {
                        undecodable++;
                    } else {
                        out.add(label);
                    }
                } catch (SerializationException e) {
                    if (RegistryOutage.isOutage(e)) {
                        throw new RegistryUnavailableException("schema registry unavailable while reading labels at "
                                + r.topic() + "-" + r.partition() + "@" + r.offset() + ": " + e.getMessage(), e);
                    }
                    undecodable++;
                    LOG.warn("skipping undecodable label at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
        }
        return undecodable;
    }

    private static String describe(OffsetRange r) {
        return r.getTopic() + "-" + r.getPartition() + " [" + r.getStartOffset() + ", " + r.getEndOffset() + ")";
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
