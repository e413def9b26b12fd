package io.warmstream.scorer.drift;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftObservation;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ServingListener;
import io.warmstream.scorer.serving.ServingModel;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads the validated labels on {@code warm.preferences} (a consumer group shared by scorer instances, so each label
 * is scored once) and turns them into observations of the serving version, on one thread:
 * <ul>
 *   <li>prequential accuracy: a label appended after the serving version was published cannot be in its training
 *       data, so scoring it now tests the version on unseen data; the label is right when r(chosen) > r(rejected).
 *       Older labels (a restart resuming behind) are skipped and counted;</li>
 *   <li>agreement: after a swap the previous version is kept ({@link ServingModel#tryLease()}) for at most
 *       {@code agreement.max-labels} labels or {@code agreement.max-duration}, and scores the same fresh labels;</li>
 *   <li>PSI reference: held-out labels are pooled; once enough are there, each new version scores them once and
 *       their rewards go out as the version's reference;</li>
 *   <li>a tick every {@code tick}: an empty observation, so windows close when traffic and labels stop.</li>
 * </ul>
 * Scoring here goes straight to the model on this thread, not through the request queue, and is not traffic.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class LabelMonitor implements ServingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabelMonitor.class);

    private final HotSwappedModel hot;
    private final ObservationPublisher publisher;
    private final DriftMetrics metrics;
    private final DriftConfig drift;
    private final int maxChars;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<PreferenceLabel> labels;
    private final ReferencePool references;
    private final AtomicReference<Previous> pending = new AtomicReference<>();
    private final Thread thread;
    private final Duration closeTimeout;
    private Previous previous;
    private volatile boolean stopping;

    /** The version before {@code installed}, kept to compare with it until it has seen enough labels or time ran out. */
    private record Previous(ModelLease lease, long installed, Instant until, long[] left) {
    }

    public LabelMonitor(ScorerConfig config, DriftConfig drift, HotSwappedModel hot, ObservationPublisher publisher,
                        DriftMetrics metrics) {
        this.hot = hot;
        this.publisher = publisher;
        this.metrics = metrics;
        this.drift = drift;
        this.maxChars = config.maxChars();
        this.clock = Clock.systemUTC();
        this.closeTimeout = config.closeTimeout();
        this.labels = config.kafka().serdes().valueDeserializer(PreferenceLabel.class);
        this.references = new ReferencePool(drift.referenceMinLabels(), drift.referenceMaxLabels());
        this.consumer = new KafkaConsumer<>(config.kafka().consumerConfig(drift.labelsGroup(), drift.applicationId() + "-labels",
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, drift.labelsOffsetReset(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, drift.labelsPerPoll(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
        this.thread = new Thread(this::run, "warm-scorer-drift-labels");
        thread.setDaemon(true);
        hot.addListener(this);
        thread.start();
    }

    @Override
    public void onSwap(ModelSwap swap) {
        if (swap.previous() == null || drift.agreementMaxLabels() <= 0) {
            return;
        }
        // Runs on the loader thread: only hand the lease over; the label thread adopts (and later closes) it.
        swap.previous().tryLease().ifPresent(lease -> {
            Previous old = pending.getAndSet(new Previous(lease, swap.installed().version().version(),
                    swap.at().plus(drift.agreementMaxDuration()), new long[] {drift.agreementMaxLabels()}));
            if (old != null) {
                old.lease().close();
            }
        });
    }

    private void run() {
        Instant nextTick = clock.instant();
        try {
            consumer.subscribe(List.of(Topics.PREFERENCES));
            while (!stopping) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                adoptPrevious();
                if (!batch.isEmpty()) {
                    handle(batch);
                }
                Instant now = clock.instant();
                if (!now.isBefore(nextTick)) {
                    tick(now);
                    nextTick = now.plus(drift.tick());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("drift label monitor stopped", e);
        } finally {
            Previous p = previous;
            if (p != null) p.lease().close();
            Previous q = pending.getAndSet(null);
            if (q != null) q.lease().close();
            consumer.close(closeTimeout);
        }
    }

    private void handle(List<ConsumerRecord<String, byte[]>> records) {
        List<PreferenceLabel> decoded = new ArrayList<>(records.size());
        List<Long> appended = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            PreferenceLabel l = decode(r);
            if (l == null) {
                continue;
            }
            if (tooLong(l)) {
                metrics.labelSkipped("too_long");
                continue;
            }
            if (drift.holdout().isHeldOut(l.getId())) {
                references.add(l);
            }
            if (!drift.sampled(l.getId())) {
                metrics.labelSkipped("not_sampled");
                continue;
            }
            decoded.add(l);
            appended.add(r.timestamp());
        }
        Optional<ModelLease> leased = hot.lease();
        if (leased.isEmpty()) {
            decoded.forEach(l -> metrics.labelSkipped("no_model"));
            return;
        }
        try (ModelLease lease = leased.get()) {
            Instant published = publishedAt(lease.model());
            List<PreferenceLabel> fresh = new ArrayList<>();
            for (int i = 0; i < decoded.size(); i++) {
                if (appended.get(i) > published.toEpochMilli()) {
                    fresh.add(decoded.get(i));
                } else {
                    metrics.labelSkipped("not_fresh");
                }
            }
            if (!fresh.isEmpty()) {
                observe(lease, fresh);
            }
            reference(lease);
        } catch (RuntimeException e) {
            LOG.warn("drift: scoring {} labels failed: {}", decoded.size(), e.toString());
            metrics.labelSkipped("scoring_failed");
        }
    }

    private void observe(ModelLease lease, List<PreferenceLabel> fresh) {
        long version = lease.version().version();
        PairScores now = PairScores.of(lease, fresh);
        DriftObservation.Builder o = observation(version, clock.instant())
                .setPrequentialCorrect(now.correct())
                .setPrequentialCount(fresh.size());
        Previous p = previous;
        if (p != null && p.installed() == version) {
            PairScores before = PairScores.of(p.lease(), fresh);
            o.setPreviousVersion(p.lease().version().version())
                    .setAgreementSame(now.sameOrder(before))
                    .setAgreementCount(fresh.size());
            p.left()[0] -= fresh.size();
        }
        publisher.publish(o.build());
        metrics.labelsScored(fresh.size());
    }

    private void reference(ModelLease lease) {
        long version = lease.version().version();
        List<PreferenceLabel> due = references.due(version);
        if (due.isEmpty()) {
            return;
        }
        PairScores scores = PairScores.of(lease, due);
        publisher.publish(observation(version, clock.instant()).setReferenceRewards(scores.all()).build());
        references.sent(version);
        LOG.info("drift: reference of v{} from {} held-out labels", version, due.size());
    }

    private void tick(Instant now) {
        hot.currentVersion().ifPresent(v -> publisher.publish(observation(v, now).build()));
    }

    /** Takes over a lease handed over by a swap; lets the kept version go when it has seen enough. */
    private void adoptPrevious() {
        Previous next = pending.getAndSet(null);
        if (next != null) {
            if (previous != null) previous.lease().close();
            previous = next;
        }
        Previous p = previous;
        if (p != null && (p.left()[0] <= 0 || clock.instant().isAfter(p.until())
                || hot.currentVersion().orElse(p.installed()) != p.installed())) {
            LOG.info("drift: v{} no longer compared with v{}", p.lease().version().version(), p.installed());
            p.lease().close();
            previous = null;
        }
    }

    private DriftObservation.Builder observation(long version, Instant at) {
        return DriftObservation.newBuilder().setAverage(hot.average()).setModelVersion(version).setObservedAt(at)
                .setRewards(List.of()).setReferenceRewards(List.of());
    }

    private PreferenceLabel decode(ConsumerRecord<String, byte[]> r) {
        try {
            PreferenceLabel l = r.value() == null ? null : labels.deserialize(r.topic(), r.value());
            if (l == null) {
                throw new IllegalArgumentException("empty record");
            }
            return l;
        } catch (RuntimeException e) {
            LOG.warn("drift: skipping undecodable label at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            metrics.labelSkipped("undecodable");
            return null;
        }
    }

    private boolean tooLong(PreferenceLabel l) {
        return l.getPrompt().length() > maxChars || l.getChosen().length() > maxChars || l.getRejected().length() > maxChars;
    }

    private static Instant publishedAt(ServingModel m) {
        Instant p = m.version().publishedAt();
        return p != null ? p : m.loadedAt();
    }

    @PreDestroy
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(closeTimeout.toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
