package io.warmstream.scorer.drift.observe;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.platform.ConsumerThread;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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

/**
 * Reads the validated labels on {@code warm.preferences} (a consumer group shared by scorer instances, so each label
 * is scored once) on one thread and hands them to the observations made from labels:
 * {@link PrequentialObservation} (fresh labels on the serving version), {@link AgreementObservation} (the same labels
 * on the version before a swap), {@link ReferenceObservation} (held-out labels for PSI), and, on the same thread,
 * {@link TickObservation}. Labels that cannot be decoded, are too long or fall outside the sample are skipped and
 * counted. Scoring here goes straight to the model on this thread, not through the request queue, and is not traffic.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class LabelMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LabelMonitor.class);

    /** How long closing waits for a chunk of drift scoring in native code to finish ({@link LabelScoring}). */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private final HotSwappedModel hot;
    private final ObservationPublisher publisher;
    private final ObservationMetrics metrics;
    private final DriftConfig drift;
    private final int maxChars;
    private final Clock clock = Clock.systemUTC();
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<PreferenceLabel> labels;
    private final AgreementObservation agreement;
    private final PrequentialObservation prequential;
    private final ReferenceObservation references;
    private final LabelScoring scoring = new LabelScoring();
    private final ConsumerThread thread;

    public LabelMonitor(ScorerConfig config, DriftConfig drift, HotSwappedModel hot, ObservationPublisher publisher,
                        ObservationMetrics metrics) {
        this.hot = hot;
        this.publisher = publisher;
        this.metrics = metrics;
        this.drift = drift;
        this.maxChars = config.maxChars();
        this.labels = config.kafka().serdes().valueDeserializer(PreferenceLabel.class);
        this.agreement = new AgreementObservation(hot, drift.agreementMaxLabels(), drift.agreementMaxDuration(), clock, scoring);
        this.prequential = new PrequentialObservation(hot.average(), publisher, metrics, agreement, clock, scoring);
        this.references = new ReferenceObservation(hot.average(), drift.holdout(), drift.referenceMinLabels(),
                drift.referenceMaxLabels(), publisher, clock, scoring);
        this.consumer = new KafkaConsumer<>(config.kafka().consumerConfig(drift.labelsGroup(), drift.applicationId() + "-labels",
                Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, drift.labelsOffsetReset(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, drift.labelsPerPoll(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
        this.thread = new ConsumerThread("warm-scorer-drift-labels", consumer, config.closeTimeout(),
                config.closeTimeout().plus(STOP_WITHIN), this::run, e -> LOG.error("drift label monitor stopped", e));
        hot.addListener(agreement);
        thread.start();
    }

    private void run() {
        TickObservation ticks = new TickObservation(hot, publisher, drift.tick(), clock.instant());
        try {
            consumer.subscribe(List.of(Topics.PREFERENCES));
            while (thread.running()) {
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(500)).forEach(batch::add);
                agreement.adoptPrevious();
                if (!batch.isEmpty()) {
                    handle(batch);
                }
                ticks.tickIfDue(clock.instant());
            }
        } finally {
            agreement.release();
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
            references.offer(l);
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
            prequential.observe(lease, decoded, appended);
            references.sendIfDue(lease);
        } catch (java.util.concurrent.CancellationException e) {
            LOG.info("drift: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("drift: scoring {} labels failed: {}", decoded.size(), e.toString());
            metrics.labelSkipped("scoring_failed");
        }
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

    @PreDestroy
    @Override
    public void close() {
        scoring.stop();
        thread.close();
        if (thread.isAlive()) {
            LOG.warn("drift label monitor still scoring {} after being asked to stop", STOP_WITHIN);
        }
    }
}
