package io.warmstream.merger.kafka;

import io.warmstream.merger.fold.CheckpointProcessor;
import io.warmstream.merger.fold.Outcome;
import io.warmstream.merger.fold.RollbackPlanner;
import io.warmstream.merger.fold.RollbackRefused;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.store.VersionRetention;
import io.warmstream.merger.store.VersionStore;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Holdout;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

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
 * <p>All Kafka clients are used on the merger's own thread; the admin API talks to it through {@link AdminCommands}.
 * This class is the poll loop; the records of a poll are handled by {@link CheckpointHandler}, ownership, fencing and
 * recovery are {@link Ownership}'s, the store's version directories {@link VersionStore}'s. At about 300 lines it
 * is long for one job because the loop, the rebalance callbacks and the rollback command share the consumer, which
 * only this thread may use.
 *
 * <p>Longer than most classes because the poll loop, ownership hand-over and admin commands share one consumer and one transactional producer; the fold itself lives in CheckpointProcessor.
 */
public final class WarmMerger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WarmMerger.class);

    public enum Role { STARTING, STANDBY, ACTIVE, CRASHED, STOPPED }

    private final LoopSettings settings;
    private final KafkaSettings kafka;
    private final RollbackPlanner rollbacks;
    private final Ownership ownership;
    private final HoldoutFollower follower;
    private final CheckpointHandler handler;
    private final MergerFaults faults;
    private final AdminCommands commands = new AdminCommands();
    private final MergerListener listener;
    private final Clock clock;
    private final Thread thread;

    private volatile boolean running = true;
    private volatile boolean pauseRequested;
    private Consumer<String, byte[]> consumer;
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
        this.rollbacks = parts.rollbacks();
        this.listener = parts.listener();
        this.clock = parts.clock();
        CheckpointProcessor processor = parts.processor();
        this.follower = parts.holdout() == null ? null
                : new HoldoutFollower(kafka, parts.holdout(), parts.sample(), parts.holdoutLookback(), settings.average());
        VersionStore versions = new VersionStore(settings.average(), parts.store(), parts.retention(),
                processor.settings().workDir());
        this.ownership = new Ownership(settings, kafka, versions, processor.settings().merge().strategy().name(),
                follower, parts.crash());
        this.faults = new MergerFaults(settings.average(), settings.backoff(), listener, clock);
        this.handler = new CheckpointHandler(settings.average(), kafka, processor, ownership, versions, faults,
                parts.crash(), listener, clock);
        this.thread = new Thread(this::run, "warm-merger-" + settings.average());
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
        return new MergerStatus(ownership.role(), pauseRequested, ownership.state(), faults.lastError(),
                faults.lastErrorAt(), handler.folded(), handler.rejected(), handler.skippedForeign(),
                faults.outages().describe());
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
        commands.submit(() -> rollbackNow(version, result));
        return result;
    }

    private void rollbackNow(long version, CompletableFuture<AverageState> result) {
        if (!running || ownership.role() != Role.ACTIVE) {
            result.completeExceptionally(new RollbackRefused(RollbackRefused.Kind.NOT_ACTIVE, version,
                    "this merger is " + ownership.role() + " for average " + settings.average()
                            + ", not the active owner; send the rollback to the active one"));
            return;
        }
        try {
            Outcome.Publish plan = rollbacks.plan(ownership.state(), version, clock.instant());
            handler.commitVersion(plan, null, -1, null, consumer);
            listener.current(plan.next());
            LOG.info("average {}: version {} republished as version {}", settings.average(), version,
                    plan.next().version());
            result.complete(plan.next());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            if (e instanceof KafkaException) {
                faults.fault("rollback to version " + version + " failed: " + e, e);
                ownership.reset(consumer);
            }
        }
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
                commands.runPending();
                if (ownership.role() != Role.ACTIVE) {
                    continue;
                }
                applyPause();
                handler.handle(records, consumer, () -> !running || pauseRequested);
                handler.commitSkips(consumer);
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
            faults.fault("merger loop died: " + t, t);
            ownership.crashed();
        } finally {
            running = false;
            commands.runPending(); // not active any more: each command completes with NOT_ACTIVE
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
            handler.activated();
            nextSweep = Instant.EPOCH;
            faults.clear();
        } catch (RuntimeException e) {
            faults.retryLater("activation failed", e);
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
        handler.close();
    }
}
