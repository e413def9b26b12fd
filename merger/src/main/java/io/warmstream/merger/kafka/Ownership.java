package io.warmstream.merger.kafka;

import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.store.VersionStore;
import io.warmstream.platform.ExactlyOnceCommitter;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.TransactionFailure;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What being the owner of an average takes: the transactional producer (fencing), the recovered state, and the
 * store reconciled with it ({@link VersionStore}). {@link #activate} makes this merger the owner (fence, recover,
 * reconcile, position); {@link #standby} gives it up; {@link #reset} decides which after a failed transaction. Used
 * on the merger's thread only; {@link #role()} and {@link #state()} may be read from any thread.
 */
final class Ownership implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ownership.class);

    private final LoopSettings settings;
    private final KafkaSettings kafka;
    private final VersionStore versions;
    private final String strategy;
    private final HoldoutFollower holdout;
    private final CrashHook crash;

    private volatile WarmMerger.Role role = WarmMerger.Role.STARTING;
    private volatile AverageState state;
    /** The newest version of each generation: what its next member folds into. */
    private final Map<Integer, AverageState> generations = new ConcurrentHashMap<>();
    private volatile boolean needsActivation;
    private final ExactlyOnceCommitter committer;

    Ownership(LoopSettings settings, KafkaSettings kafka, VersionStore versions, String strategy,
              HoldoutFollower holdout, CrashHook crash) {
        this.settings = settings;
        this.kafka = kafka;
        this.versions = versions;
        this.strategy = strategy;
        this.holdout = holdout;
        this.crash = crash;
        this.state = AverageState.empty(settings.average(), strategy);
        // A fresh client id per producer; the transactional id stays the average's, so a new owner fences the old one.
        this.committer = new ExactlyOnceCommitter("average " + settings.average(), () -> new KafkaProducer<>(
                kafka.producerConfig(settings.transactionalId() + "-" + java.util.UUID.randomUUID().toString().substring(0, 8),
                        producerConfig())), Duration.ofSeconds(5));
    }

    WarmMerger.Role role() {
        return role;
    }

    AverageState state() {
        return state;
    }

    /** What a checkpoint of {@code generation} folds into (see {@link AverageState#foldBaseFor}). */
    AverageState foldBase(int generation) {
        return state.foldBaseFor(generation, generations.get(generation));
    }

    boolean needsActivation() {
        return needsActivation;
    }

    /**
     * Becomes the owner of the assigned partitions: fences any earlier producer of this average (aborting its open
     * transaction), recovers the state from warm.models, reconciles the store, and positions the consumer at the
     * committed offsets. On failure {@link #needsActivation()} stays true and the caller retries.
     */
    void activate(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
        needsActivation = true;
        closeProducer();
        role = WarmMerger.Role.STARTING;
        awaitHoldout();
        committer.open();
        StateRecovery.Recovered all = StateRecovery.recover(kafka, settings.average(), strategy,
                settings.recoveryTimeout());
        AverageState recovered = all.newest();
        generations.clear();
        generations.putAll(all.generations());
        if (recovered.hasVersion() && !recovered.strategy().equals(strategy)) {
            throw new IllegalStateException("average " + settings.average() + " was built with strategy "
                    + recovered.strategy() + " but warm.merger.strategy is " + strategy
                    + "; keep the strategy or start a new average");
        }
        state = versions.reconcile(recovered);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        for (TopicPartition p : partitions) {
            OffsetAndMetadata c = committed.get(p);
            if (c == null) {
                consumer.seekToBeginning(List.of(p));
            } else {
                consumer.seek(p, c.offset());
            }
        }
        needsActivation = false;
        role = WarmMerger.Role.ACTIVE;
        LOG.info("average {}: active owner of {}; recovered version {} with {} members, resuming at {}",
                settings.average(), partitions, state.version(), state.members().size(), committed);
    }

    /** Partitions revoked or lost: no producer, no processing, until assigned again. */
    void standby() {
        closeProducer();
        needsActivation = false;
        if (role != WarmMerger.Role.CRASHED && role != WarmMerger.Role.STOPPED) {
            if (role == WarmMerger.Role.ACTIVE) {
                LOG.info("average {}: no longer the owner; standing by", settings.average());
            } else if (role == WarmMerger.Role.STARTING) {
                LOG.info("average {}: another merger owns the checkpoints; standing by", settings.average());
            }
            role = WarmMerger.Role.STANDBY;
        }
    }

    /**
     * After a failed transaction. Fenced (another merger of this average took over): stand by and let the group
     * decide who owns the partition. Anything else: start over as the owner (the open transaction is aborted, the
     * state re-read, so whatever the broker did with the commit, nothing is lost or doubled).
     */
    void reset(Consumer<String, byte[]> consumer) {
        boolean fenced = committer.lastFailure() == TransactionFailure.FENCED;
        standby();
        if (fenced) {
            consumer.enforceRebalance("transactional producer of average " + settings.average() + " was fenced");
        } else {
            needsActivation = !consumer.assignment().isEmpty();
        }
    }

    /**
     * One transaction: the record (if any), the offsets (if any), commit. On failure the committer aborts it or
     * closes the producer, by {@link TransactionFailure}'s rule, and the error is rethrown for {@link #reset}.
     */
    void transaction(ProducerRecord<String, byte[]> record, Map<TopicPartition, OffsetAndMetadata> offsets,
                     ConsumerGroupMetadata group) {
        committer.commit(record == null ? List.of() : List.of(record), offsets, group, record == null
                ? ExactlyOnceCommitter.Steps.NONE : new ExactlyOnceCommitter.Steps() {
                    @Override
                    public void recordsSent() {
                        crash.reached(CrashPoint.AFTER_EVENT_SENT);
                    }

                    @Override
                    public void offsetsSent() {
                        crash.reached(CrashPoint.AFTER_OFFSETS_SENT);
                    }
                });
        if (record != null) {
            crash.reached(CrashPoint.AFTER_COMMIT);
        }
    }

    void published(AverageState next) {
        state = next;
        generations.put(next.generation(), next);
    }

    /** Retention between publications (see {@link VersionStore#sweep}). */
    void sweep(Instant now) {
        state = versions.sweep(state, now);
    }

    private void awaitHoldout() {
        if (holdout == null) {
            return;
        }
        try {
            if (!holdout.awaitCaughtUp(settings.holdoutCatchUp())) {
                LOG.warn("average {}: held-out labels still loading after {}; going on with what is there",
                        settings.average(), settings.holdoutCatchUp());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.transactionalId());
        c.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // Events list every member; allow large ones (the broker's message.max.bytes must allow them too).
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        c.putAll(settings.producerOverrides());
        return c;
    }

    private void closeProducer() {
        committer.release();
    }

    /** A simulated crash: the producer is left as a dead process would leave it, open transaction included. */
    void crashed() {
        committer.abandon();
        role = WarmMerger.Role.CRASHED;
    }

    void stop() {
        closeProducer();
        role = WarmMerger.Role.STOPPED;
    }

    @Override
    public void close() {
        committer.close();
        if (holdout != null) {
            holdout.close();
        }
    }
}
