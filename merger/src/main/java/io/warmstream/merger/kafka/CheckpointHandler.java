package io.warmstream.merger.kafka;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.fold.CheckpointProcessor;
import io.warmstream.merger.fold.Outcome;
import io.warmstream.merger.fold.ReasonCode;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.Events;
import io.warmstream.merger.store.VersionStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.RegistryOutage;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What the active owner does with the checkpoints of one poll: decodes each record, has the processor fold or reject
 * it, and commits the outcome with the record's offset in one transaction ({@link Ownership#transaction}). Records
 * of other averages only move the offset, once per poll. A record that cannot be done now (a fault on the merger's
 * side) stops the poll there; it is fetched again after the pause. Used on the merger's thread only.
 */
final class CheckpointHandler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointHandler.class);
    /** Checkpoints of one poll are handled for at most this long, well inside max.poll.interval.ms. */
    private static final long POLL_BUDGET_NANOS = Duration.ofSeconds(60).toNanos();

    private final String average;
    private final CheckpointProcessor processor;
    private final Ownership ownership;
    private final VersionStore versions;
    private final MergerFaults faults;
    private final CrashHook crash;
    private final MergerListener listener;
    private final Clock clock;
    private final Deserializer<RewardModelCheckpoint> checkpoints;
    private final Serializer<WarmModelPublished> published;
    private final Serializer<CheckpointRejected> rejections;
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong skippedForeign = new AtomicLong();
    private final Map<TopicPartition, Long> uncommittedSkips = new HashMap<>();

    CheckpointHandler(String average, KafkaSettings kafka, CheckpointProcessor processor, Ownership ownership,
                      VersionStore versions, MergerFaults faults, CrashHook crash, MergerListener listener,
                      Clock clock) {
        this.average = average;
        this.processor = processor;
        this.ownership = ownership;
        this.versions = versions;
        this.faults = faults;
        this.crash = crash;
        this.listener = listener;
        this.clock = clock;
        this.checkpoints = kafka.serdes().valueDeserializer(RewardModelCheckpoint.class);
        this.published = kafka.serdes().valueSerializer(WarmModelPublished.class);
        this.rejections = kafka.serdes().valueSerializer(CheckpointRejected.class);
    }

    long folded() {
        return folded.get();
    }

    long rejected() {
        return rejected.get();
    }

    long skippedForeign() {
        return skippedForeign.get();
    }

    /** A new owner starts from the committed offsets: skips not committed yet are fetched again. */
    void activated() {
        uncommittedSkips.clear();
    }

    /**
     * Handles the poll's records in order until one cannot be done now, {@code stop} says so, or this merger is no
     * longer the active owner; what is left is fetched again from its offset.
     */
    void handle(ConsumerRecords<String, byte[]> records, Consumer<String, byte[]> consumer, BooleanSupplier stop) {
        long polled = System.nanoTime();
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int pi = 0; pi < partitions.size(); pi++) {
            TopicPartition p = partitions.get(pi);
            List<ConsumerRecord<String, byte[]>> list = records.records(p);
            for (int i = 0; i < list.size(); i++) {
                boolean overdue = System.nanoTime() - polled > POLL_BUDGET_NANOS;
                if (stop.getAsBoolean() || ownership.role() != WarmMerger.Role.ACTIVE || ownership.needsActivation()
                        || (overdue && i > 0) || !handle(list.get(i), consumer)) {
                    consumer.seek(p, list.get(i).offset());
                    for (TopicPartition rest : partitions.subList(pi + 1, partitions.size())) {
                        consumer.seek(rest, records.records(rest).get(0).offset());
                    }
                    return;
                }
            }
        }
    }

    /** True when the record is done with (published, rejected or not ours); false to retry it later. */
    private boolean handle(ConsumerRecord<String, byte[]> r, Consumer<String, byte[]> consumer) {
        TopicPartition p = new TopicPartition(r.topic(), r.partition());
        RewardModelCheckpoint cp;
        try {
            cp = r.value() == null ? null : checkpoints.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            if (r.key() != null && !r.key().equals(average)) {
                return skip(p, r.offset());
            }
            if (RegistryOutage.isOutage(e)) {
                // The bytes may be fine: UNDECODABLE is only for records the registry answered about.
                faults.retryLater("record at offset " + r.offset() + " cannot be decoded while the registry is unreachable", e);
                return false;
            }
            String job = "undecodable@" + r.topic() + "-" + r.partition() + "-" + r.offset();
            return reject(p, r, job, "", new Outcome.Reject(ReasonCode.UNDECODABLE,
                    "record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " could not be decoded: " + e),
                    consumer);
        }
        if (cp == null || !average.equals(cp.getAverage())) {
            return skip(p, r.offset());
        }
        Outcome outcome;
        try {
            outcome = processor.process(cp, ownership.foldBase(cp.getGeneration()));
        } catch (RuntimeException e) {
            faults.retryLater("checkpoint " + cp.getJobId() + " (offset " + r.offset() + ") not processed", e);
            return false;
        }
        if (outcome instanceof Outcome.Reject reject) {
            return reject(p, r, cp.getJobId(), cp.getUri(), reject, consumer);
        }
        return publish((Outcome.Publish) outcome, p, r, cp, consumer);
    }

    private boolean publish(Outcome.Publish publish, TopicPartition p, ConsumerRecord<String, byte[]> r,
                            RewardModelCheckpoint cp, Consumer<String, byte[]> consumer) {
        crash.reached(CrashPoint.AFTER_WEIGHTS_WRITTEN);
        try {
            commitVersion(publish, p, r.offset(), cp, consumer);
        } catch (RuntimeException e) {
            if (RegistryOutage.isOutage(e)) { // encoding the event failed before any transaction began
                faults.retryLater("version " + publish.next().version() + " cannot be encoded", e);
                return false;
            }
            if (!(e instanceof KafkaException)) {
                throw e;
            }
            faults.fault("publishing version " + publish.next().version() + " failed: " + e, e);
            ownership.reset(consumer);
            return false;
        }
        folded.incrementAndGet();
        faults.clear();
        long latencyMillis = Math.max(0, clock.millis() - r.timestamp());
        listener.published(publish.next(), latencyMillis, publish.stages());
        AverageState next = publish.next();
        LOG.info("average {}: version {} {} with {} members (job {}, offset {}){}; {} ms after the checkpoint ({})",
                average, next.version(), next.served() ? "published" : "WITHHELD by the quality gate, version "
                        + next.servedVersion() + " stays served,", next.members().size(), cp.getJobId(), r.offset(),
                next.quality().describe(next.validationAccuracy(), next.membersMeanAccuracy()), latencyMillis,
                publish.stages().describe());
        return true;
    }

    private boolean reject(TopicPartition p, ConsumerRecord<String, byte[]> r, String jobId, String uri,
                           Outcome.Reject reject, Consumer<String, byte[]> consumer) {
        AverageState state = ownership.state();
        CheckpointRejected event = Events.rejected(average, jobId, uri, reject.code().name(),
                reject.detail(), clock.instant(), state.hasVersion() ? state.version() : null);
        byte[] value;
        try {
            value = rejections.serialize(Topics.CHECKPOINTS_REJECTED, event);
        } catch (RuntimeException e) {
            if (!RegistryOutage.isOutage(e)) {
                throw e;
            }
            faults.retryLater("the rejection of " + jobId + " cannot be encoded", e);
            return false;
        }
        try {
            ownership.transaction(new ProducerRecord<>(Topics.CHECKPOINTS_REJECTED, jobId, value),
                    offsets(p, r.offset()), consumer.groupMetadata());
        } catch (KafkaException e) {
            faults.fault("reporting the rejection of " + jobId + " failed: " + e, e);
            ownership.reset(consumer);
            return false;
        }
        rejected.incrementAndGet();
        faults.clear();
        listener.rejected(reject.code());
        LOG.warn("average {}: checkpoint {} (offset {}) rejected, {}: {}", average, jobId, r.offset(),
                reject.code(), reject.detail());
        return true;
    }

    /**
     * Publishes a version; with a partition, commits the checkpoint's offset in the same transaction. The checkpoint
     * folded in (null for a rollback) gives the version its freshness times.
     */
    void commitVersion(Outcome.Publish publish, TopicPartition p, long offset, RewardModelCheckpoint folded,
                       Consumer<String, byte[]> consumer) {
        AverageState next = publish.next();
        byte[] value = published.serialize(Topics.MODELS, Events.withRewardScale(
                Events.withFreshness(Events.published(next), folded), publish.scale()));
        ownership.transaction(new ProducerRecord<>(Topics.MODELS, Events.modelsKey(next), value),
                p == null ? Map.of() : offsets(p, offset), consumer.groupMetadata());
        ownership.published(next);
        versions.deleteDropped(publish.deleteUris());
    }

    private Map<TopicPartition, OffsetAndMetadata> offsets(TopicPartition p, long offset) {
        uncommittedSkips.remove(p);
        return Map.of(p, new OffsetAndMetadata(offset + 1));
    }

    private boolean skip(TopicPartition p, long offset) {
        skippedForeign.incrementAndGet();
        uncommittedSkips.put(p, offset + 1);
        return true;
    }

    /** Other averages' checkpoints move our offset too, in a transaction of offsets only, once per poll. */
    void commitSkips(Consumer<String, byte[]> consumer) {
        if (uncommittedSkips.isEmpty() || ownership.role() != WarmMerger.Role.ACTIVE) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommittedSkips.forEach((p, o) -> offsets.put(p, new OffsetAndMetadata(o)));
        try {
            ownership.transaction(null, offsets, consumer.groupMetadata());
            uncommittedSkips.clear();
        } catch (KafkaException e) {
            faults.fault("committing offsets failed: " + e, e);
            ownership.reset(consumer);
        }
    }

    @Override
    public void close() {
        checkpoints.close();
        published.close();
        rejections.close();
    }
}
