package io.warmstream.merger.kafka;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.fold.CheckpointProcessor;
import io.warmstream.merger.fold.Outcome;
import io.warmstream.merger.fold.ReasonCode;
import io.warmstream.merger.fold.RollbackPlanner;
import io.warmstream.merger.fold.RollbackRefused;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.Events;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.RegistryOutage;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The merger of one average: follows {@code warm.checkpoints} and, for each checkpoint of its average, publishes
 * either the next {@code WarmModelPublished} or a {@code CheckpointRejected}, exactly once.
 *
 * <p>Exactly once: the outcome and the checkpoint's offset are committed in one Kafka transaction (begin, produce,
 * {@code sendOffsetsToTransaction} with the consumer's group metadata, commit). The state needed to continue
 * (version, members, current average, kept versions) is the newest committed event on {@code warm.models}, read
 * back with {@code read_committed} whenever this merger becomes the owner. Killed anywhere, a merger leaves either
 * a committed version with its offset, or neither: the next owner aborts the open transaction, finds the last
 * committed version, and redoes the checkpoint; a version directory written but not published is overwritten under
 * the same key. A checkpoint whose job is already folded in is recorded as {@code ALREADY_MEMBER}, not folded twice.
 *
 * <p>One owner per average: the consumer group and the transactional id are both {@code warm-merger-<average>}, and
 * {@code warm.checkpoints} has one partition. A second merger of the same average joins the group, gets nothing
 * assigned, and waits as a standby ({@link Role#STANDBY}) with no producer. When the owner dies or leaves, the group
 * gives the partition to the standby, which then opens its transactional producer: {@code initTransactions} fences
 * the old owner's producer (should it still be alive, its next commit fails and it steps down) and aborts its open
 * transaction; then the standby recovers the state from {@code warm.models} and continues from the committed offset.
 *
 * <p>All Kafka clients are used on the merger's own thread; the admin API talks to it through commands.
 */
public final class WarmMerger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmMerger.class);
    /** Checkpoints of one poll are handled for at most this long, well inside max.poll.interval.ms. */
    private static final long POLL_BUDGET_NANOS = Duration.ofSeconds(60).toNanos();

    public enum Role { STARTING, STANDBY, ACTIVE, CRASHED, STOPPED }

    private final LoopSettings settings;
    private final KafkaSettings kafka;
    private final CheckpointProcessor processor;
    private final RollbackPlanner rollbacks;
    private final Ownership ownership;
    private final HoldoutFollower follower;
    private final CrashHook crash;
    private final MergerListener listener;
    private final Clock clock;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Deserializer<RewardModelCheckpoint> checkpoints;
    private final Serializer<WarmModelPublished> published;
    private final Serializer<CheckpointRejected> rejections;
    private final AtomicLong folded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong skippedForeign = new AtomicLong();
    private final DependencyOutages outages;
    /** Faults since the last checkpoint went through: the exponent of the retry pause. */
    private int faultsInARow;

    private volatile boolean running = true;
    private volatile boolean pauseRequested;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private Consumer<String, byte[]> consumer;
    private final Map<TopicPartition, Long> uncommittedSkips = new HashMap<>();
    private Instant nextSweep = Instant.EPOCH;

    /**
     * The pieces a merger is made of.
     *
     * @param holdout the trainers' validation split; null when the LMC guard is off (no held-out labels are read)
     * @param sample  where the held-out labels go (the guard's sample)
     */
    public record Parts(LoopSettings settings, KafkaSettings kafka, CheckpointProcessor processor,
                        RollbackPlanner rollbacks, CheckpointStore store, VersionRetention retention, Holdout holdout,
                        HoldoutSample sample, long holdoutLookback, CrashHook crash, MergerListener listener,
                        Clock clock) {
    }

    public WarmMerger(Parts parts) {
        this.settings = parts.settings();
        this.kafka = parts.kafka();
        this.processor = parts.processor();
        this.rollbacks = parts.rollbacks();
        this.crash = parts.crash();
        this.listener = parts.listener();
        this.clock = parts.clock();
        HoldoutFollower follower = parts.holdout() == null ? null
                : new HoldoutFollower(kafka, parts.holdout(), parts.sample(), parts.holdoutLookback(), settings.average());
        this.ownership = new Ownership(settings, kafka, parts.store(), parts.retention(),
                processor.settings().merge().strategy().name(), processor.settings().workDir(), follower, crash);
        this.follower = follower;
        this.checkpoints = kafka.serdes().valueDeserializer(RewardModelCheckpoint.class);
        this.published = kafka.serdes().valueSerializer(WarmModelPublished.class);
        this.rejections = kafka.serdes().valueSerializer(CheckpointRejected.class);
        this.thread = new Thread(this::run, "warm-merger-" + settings.average());
        this.outages = new DependencyOutages(clock);
        listener.watch(outages);
    }

    public void start() {
        if (follower != null) {
            follower.start();
        }
        thread.start();
    }

    public String average() {
        return settings.average();
    }

    public MergerStatus status() {
        return new MergerStatus(ownership.role(), pauseRequested, ownership.state(), lastError, lastErrorAt,
                folded.get(), rejected.get(), skippedForeign.get(), outages.describe());
    }

    public void pause() {
        pauseRequested = true;
    }

    public void resume() {
        pauseRequested = false;
    }

    /** Republishes kept version {@code version} as a new version; completes with the new state once committed. */
    public CompletableFuture<AverageState> rollback(long version) {
        CompletableFuture<AverageState> result = new CompletableFuture<>();
        commands.add(() -> {
            if (!running || ownership.role() != Role.ACTIVE) {
                result.completeExceptionally(new RollbackRefused(RollbackRefused.Kind.NOT_ACTIVE, version,
                        "this merger is " + ownership.role() + " for average " + settings.average()
                                + ", not the active owner; send the rollback to the active one"));
                return;
            }
            try {
                Outcome.Publish plan = rollbacks.plan(ownership.state(), version, clock.instant());
                commitVersion(plan, null, -1, null);
                listener.current(plan.next());
                LOG.info("average {}: version {} republished as version {}", settings.average(), version,
                        plan.next().version());
                result.complete(plan.next());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
                if (e instanceof KafkaException) {
                    fault("rollback to version " + version + " failed: " + e, e);
                    ownership.reset(consumer);
                }
            }
        });
        return result;
    }

    private void run() {
        boolean crashed = false;
        try {
            consumer = new KafkaConsumer<>(kafka.consumerConfig(settings.groupId(),
                    settings.groupId() + "-" + UUID.randomUUID().toString().substring(0, 8), consumerConfig()));
            consumer.subscribe(List.of(Topics.CHECKPOINTS), new Rebalance());
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(settings.pollTimeout());
                if (ownership.needsActivation()) {
                    activate(consumer.assignment());
                    continue; // positions changed: fetch again from the committed offsets
                }
                runCommands();
                if (ownership.role() != Role.ACTIVE) {
                    continue;
                }
                applyPause();
                handle(records);
                commitSkips();
                sweepIfDue();
            }
        } catch (CrashHook.SimulatedCrash c) {
            crashed = true;
            LOG.warn("average {}: {}; the consumer leaves the group, the producer is abandoned with its open transaction",
                    settings.average(), c.getMessage());
            ownership.crashed();
        } catch (WakeupException e) {
            if (running) {
                LOG.error("average {}: merger woken up unexpectedly", settings.average(), e);
            }
        } catch (Throwable t) {
            crashed = true;
            LOG.error("average {}: merger loop died", settings.average(), t);
            fault("merger loop died: " + t, t);
            ownership.crashed();
        } finally {
            failCommands();
            if (consumer != null) {
                try {
                    consumer.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.debug("closing consumer", e);
                }
            }
            if (!crashed) {
                ownership.stop();
            }
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        // Sticky: a standby joining the group does not take the partition from a healthy owner.
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        c.putAll(settings.consumerOverrides());
        return c;
    }

    private void activate(Collection<TopicPartition> partitions) {
        try {
            ownership.activate(consumer, partitions);
            listener.current(ownership.state());
            uncommittedSkips.clear();
            nextSweep = Instant.EPOCH;
            clearError();
        } catch (RuntimeException e) {
            retryLater("activation failed", e);
        }
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        long polled = System.nanoTime();
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int pi = 0; pi < partitions.size(); pi++) {
            TopicPartition p = partitions.get(pi);
            List<ConsumerRecord<String, byte[]>> list = records.records(p);
            for (int i = 0; i < list.size(); i++) {
                boolean overdue = System.nanoTime() - polled > POLL_BUDGET_NANOS;
                if (!running || pauseRequested || ownership.role() != Role.ACTIVE || ownership.needsActivation()
                        || (overdue && i > 0) || !handle(list.get(i))) {
                    // Stop here: what is left of this poll is fetched again from these offsets.
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
    private boolean handle(ConsumerRecord<String, byte[]> r) {
        TopicPartition p = new TopicPartition(r.topic(), r.partition());
        RewardModelCheckpoint cp;
        try {
            cp = r.value() == null ? null : checkpoints.deserialize(r.topic(), r.headers(), r.value());
        } catch (RuntimeException e) {
            if (r.key() != null && !r.key().equals(settings.average())) {
                return skip(p, r.offset());
            }
            if (RegistryOutage.isOutage(e)) {
                // The bytes may be fine: UNDECODABLE is only for records the registry answered about.
                retryLater("record at offset " + r.offset() + " cannot be decoded while the registry is unreachable", e);
                return false;
            }
            String job = "undecodable@" + r.topic() + "-" + r.partition() + "-" + r.offset();
            return reject(p, r, job, "", new Outcome.Reject(ReasonCode.UNDECODABLE,
                    "record " + r.topic() + "-" + r.partition() + "@" + r.offset() + " could not be decoded: " + e));
        }
        if (cp == null || !settings.average().equals(cp.getAverage())) {
            return skip(p, r.offset());
        }
        Outcome outcome;
        try {
            outcome = processor.process(cp, ownership.foldBase(cp.getGeneration()));
        } catch (RuntimeException e) {
            retryLater("checkpoint " + cp.getJobId() + " (offset " + r.offset() + ") not processed", e);
            return false;
        }
        if (outcome instanceof Outcome.Reject reject) {
            return reject(p, r, cp.getJobId(), cp.getUri(), reject);
        }
        Outcome.Publish publish = (Outcome.Publish) outcome;
        crash.reached(CrashPoint.AFTER_WEIGHTS_WRITTEN);
        try {
            commitVersion(publish, p, r.offset(), cp);
        } catch (RuntimeException e) {
            if (RegistryOutage.isOutage(e)) { // encoding the event failed before any transaction began
                retryLater("version " + publish.next().version() + " cannot be encoded", e);
                return false;
            }
            if (!(e instanceof KafkaException)) {
                throw e;
            }
            fault("publishing version " + publish.next().version() + " failed: " + e, e);
            ownership.reset(consumer);
            return false;
        }
        folded.incrementAndGet();
        clearError();
        listener.published(publish.next(), Math.max(0, clock.millis() - r.timestamp()), publish.foldSeconds());
        AverageState next = publish.next();
        LOG.info("average {}: version {} {} with {} members (job {}, offset {}){}", settings.average(),
                next.version(), next.served() ? "published" : "WITHHELD by the quality gate, version "
                        + next.servedVersion() + " stays served,", next.members().size(), cp.getJobId(), r.offset(),
                next.quality().describe(next.validationAccuracy(), next.membersMeanAccuracy()));
        return true;
    }

    private boolean reject(TopicPartition p, ConsumerRecord<String, byte[]> r, String jobId, String uri,
                           Outcome.Reject reject) {
        AverageState state = ownership.state();
        CheckpointRejected event = Events.rejected(settings.average(), jobId, uri, reject.code().name(),
                reject.detail(), clock.instant(), state.hasVersion() ? state.version() : null);
        byte[] value;
        try {
            value = rejections.serialize(Topics.CHECKPOINTS_REJECTED, event);
        } catch (RuntimeException e) {
            if (!RegistryOutage.isOutage(e)) {
                throw e;
            }
            retryLater("the rejection of " + jobId + " cannot be encoded", e);
            return false;
        }
        try {
            ownership.transaction(new ProducerRecord<>(Topics.CHECKPOINTS_REJECTED, jobId, value),
                    offsets(p, r.offset()), consumer.groupMetadata());
        } catch (KafkaException e) {
            fault("reporting the rejection of " + jobId + " failed: " + e, e);
            ownership.reset(consumer);
            return false;
        }
        rejected.incrementAndGet();
        clearError();
        listener.rejected(reject.code());
        LOG.warn("average {}: checkpoint {} (offset {}) rejected, {}: {}", settings.average(), jobId, r.offset(),
                reject.code(), reject.detail());
        return true;
    }

    /**
     * Publishes a version; with a partition, commits the checkpoint's offset in the same transaction. The checkpoint
     * folded in (null for a rollback) gives the version its freshness times.
     */
    private void commitVersion(Outcome.Publish publish, TopicPartition p, long offset, RewardModelCheckpoint folded) {
        AverageState next = publish.next();
        byte[] value = published.serialize(Topics.MODELS, Events.withRewardScale(
                Events.withFreshness(Events.published(next), folded), publish.scale()));
        ownership.transaction(new ProducerRecord<>(Topics.MODELS, Events.modelsKey(next), value),
                p == null ? Map.of() : offsets(p, offset), consumer.groupMetadata());
        ownership.published(next);
        ownership.deleteVersions(publish.deleteUris());
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
    private void commitSkips() {
        if (uncommittedSkips.isEmpty() || ownership.role() != Role.ACTIVE) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        uncommittedSkips.forEach((p, o) -> offsets.put(p, new OffsetAndMetadata(o)));
        try {
            ownership.transaction(null, offsets, consumer.groupMetadata());
            uncommittedSkips.clear();
        } catch (KafkaException e) {
            fault("committing offsets failed: " + e, e);
            ownership.reset(consumer);
        }
    }

    private void applyPause() {
        var assigned = consumer.assignment();
        if (pauseRequested && !consumer.paused().containsAll(assigned)) {
            consumer.pause(assigned);
            LOG.info("average {}: paused", settings.average());
        } else if (!pauseRequested && !consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
            LOG.info("average {}: resumed", settings.average());
        }
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(settings.sweepInterval());
        ownership.sweep(now);
    }

    private void runCommands() {
        Runnable c;
        while ((c = commands.poll()) != null) {
            c.run();
        }
    }

    private void failCommands() {
        running = false;
        Runnable c;
        while ((c = commands.poll()) != null) {
            c.run(); // not active any more: each command completes with NOT_ACTIVE
        }
    }

    private void fault(String message, Throwable t) {
        lastError = message;
        lastErrorAt = clock.instant();
        listener.fault(message);
        LOG.warn("average {}: {}", settings.average(), message, t);
    }

    /**
     * A fault on the merger's side: reports it (naming the store or the registry when one of them is unreachable)
     * and pauses before the retry, twice as long with each fault in a row, up to {@code retryBackoffMax}.
     */
    private void retryLater(String what, RuntimeException e) {
        Duration pause = settings.backoff().delay(++faultsInARow);
        DependencyOutages.Dependency dependency = RegistryOutage.isOutage(e) ? DependencyOutages.Dependency.REGISTRY
                : StoreUnavailableException.isCause(e) ? DependencyOutages.Dependency.STORE : null;
        if (dependency != null) {
            outages.down(dependency, e.getMessage());
        }
        fault(what + (dependency == null ? "" : " (" + dependency.label() + " unreachable)") + ", retrying in "
                + pause.toMillis() + " ms: " + e.getMessage(), e);
        sleep(pause);
    }

    private void clearError() {
        lastError = null;
        lastErrorAt = null;
        faultsInARow = 0;
        outages.up(DependencyOutages.Dependency.STORE);
        outages.up(DependencyOutages.Dependency.REGISTRY);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Partition ownership follows the group: activation when assigned, standby when revoked or lost. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                // Activating here, before the consumer fetches its committed offset, lets initTransactions abort a
                // dead owner's open transaction first (its pending offset commit would otherwise stall the fetch).
                activate(consumer.assignment());
            } else if (consumer.assignment().isEmpty()) {
                ownership.standby(); // in the group, nothing to own
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                ownership.standby();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            ownership.standby();
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ownership.close();
        checkpoints.close();
        published.close();
        rejections.close();
    }
}
