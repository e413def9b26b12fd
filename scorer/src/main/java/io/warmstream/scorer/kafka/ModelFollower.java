package io.warmstream.scorer.kafka;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.ModelCandidate;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.schemas.Topics;
import java.net.URI;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.ScorerMetrics;
import io.warmstream.scorer.events.ModelEventLog;
import io.warmstream.scorer.serving.ModelUpdater;
import io.warmstream.scorer.serving.ModelVersion;
import jakarta.annotation.PreDestroy;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.ConsumerThread;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.schemas.RegistryOutage;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads every record of {@code warm.models} into the {@link ModelUpdater}. No consumer group: every scorer instance
 * assigns itself all partitions and reads from the beginning, so each sees every version, and after a restart the
 * compacted topic hands it the newest version of its average. Loading starts once the follower has read up to the
 * end offsets it found at start, so a restart loads only the newest version, not each one on the way.
 *
 * <p>Versions the merger's quality gate withheld (key {@code <average>/withheld}, {@code withheld} set) are passed on
 * too, for the version list; the updater never loads them. Compaction keeps the served version under the average's
 * own key, so a scorer starting fresh still finds it.
 *
 * <p>A record that cannot be read is logged, counted and skipped; it never stops the follower. A record that cannot be
 * read because the schema registry does not answer is not skipped: it is retried with bounded exponential backoff
 * until the registry is back (skipping would lose a good version), and the registry is reported down meanwhile.
 * A tombstone changes nothing: version numbers only go up, so the serving version stays until a higher one.
 *
 * <p>With {@code follower.preload-candidates}, the same consumer reads {@code warm.model-candidates} from its end and
 * hands each candidate to the updater, which loads it ahead of its publication.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ModelFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final ModelUpdater updater;
    private final ScorerMetrics metrics;
    private final ModelEventLog eventLog;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<WarmModelPublished> events;
    private final Deserializer<ModelCandidate> candidates;
    private final boolean preload;
    private final Backoff registryRetry;
    private final ConsumerThread thread;
    private volatile boolean caughtUp;
    private volatile Instant lastPoll;
    private volatile String lastError;
    private volatile long recordsRead;

    public ModelFollower(ScorerConfig config, TopicSetup setup, ModelUpdater updater, ScorerMetrics metrics,
                         ModelEventLog eventLog) {
        this.topic = config.modelsTopic();
        this.eventLog = eventLog;
        this.updater = updater;
        this.metrics = metrics;
        this.registryRetry = config.loadRetry();
        this.events = config.kafka().serdes().valueDeserializer(WarmModelPublished.class);
        this.candidates = config.kafka().serdes().valueDeserializer(ModelCandidate.class);
        this.preload = config.preloadCandidates();
        this.consumer = new KafkaConsumer<>(config.kafka().consumerConfig(null,
                config.applicationId() + "-follower-" + UUID.randomUUID().toString().substring(0, 8), Map.of()));
        this.thread = new ConsumerThread("warm-scorer-follower", consumer, config.closeTimeout(),
                config.closeTimeout().plusSeconds(5), this::run, e -> {
                    lastError = e.toString();
                    LOG.error("the {} follower stopped: no further versions will be loaded", topic, e);
                });
        thread.start();
    }

    /** Whether the follower has read the topic up to where it ended at start (loading has begun). */
    public boolean caughtUp() {
        return caughtUp;
    }

    public Instant lastPoll() {
        return lastPoll;
    }

    public String lastError() {
        return lastError;
    }

    public long recordsRead() {
        return recordsRead;
    }

    private void run() {
        List<TopicPartition> partitions = awaitPartitions();
        if (partitions == null) {
            return;
        }
        List<TopicPartition> hints = preload ? candidatePartitions() : List.of();
        List<TopicPartition> all = new java.util.ArrayList<>(partitions);
        all.addAll(hints);
        consumer.assign(all);
        consumer.seekToBeginning(partitions);
        consumer.seekToEnd(hints); // past hints are of versions published or refused by now
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        LOG.info("following {} from the beginning ({} records to catch up on)", topic,
                end.values().stream().mapToLong(Long::longValue).sum());
        while (thread.running()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            lastPoll = Instant.now();
            for (ConsumerRecord<String, byte[]> r : records) {
                read(r);
            }
            if (!caughtUp && reached(end)) {
                caughtUp = true;
                updater.activate();
                LOG.info("caught up with {}; newest version of the average: {}", topic,
                        updater.newest().map(v -> "v" + v.version()).orElse("none yet"));
            }
        }
    }

    /** The candidates topic's partitions; none (with a log line) where no merger has created it. */
    private List<TopicPartition> candidatePartitions() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.MODEL_CANDIDATES, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            LOG.info("{} does not exist: versions load after their publication", Topics.MODEL_CANDIDATES);
            return List.of();
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private List<TopicPartition> awaitPartitions() {
        while (thread.running()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            lastError = "topic " + topic + " does not exist yet";
            LOG.warn("{} does not exist yet; waiting for it", topic);
            sleep(2_000);
        }
        return null;
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        if (r.topic().equals(Topics.MODEL_CANDIDATES)) {
            readCandidate(r);
            return;
        }
        recordsRead++;
        if (r.value() == null) {
            // A tombstone: the average was deleted; the serving version stays until a newer one arrives.
            eventLog.append(new ModelEventLog.Entry(r.offset(), r.key(), "deleted", keyJson(r.key())));
            return;
        }
        try {
            WarmModelPublished e = deserialize(r);
            updater.offer(ModelVersion.of(e));
            eventLog.append(new ModelEventLog.Entry(r.offset(), r.key(),
                    Boolean.TRUE.equals(e.getWithheld()) ? "withheld" : "published", e.toString()));
        } catch (RuntimeException ex) {
            metrics.badModelEvent();
            lastError = "offset " + r.offset() + ": " + ex.getMessage();
            LOG.warn("skipping unreadable record at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), ex.toString());
        }
    }

    /** A hint only: one that cannot be read is skipped at once (its version loads after its publication). */
    private void readCandidate(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        try {
            ModelCandidate c = candidates.deserialize(r.topic(), r.value());
            updater.offerCandidate(c.getAverage(), c.getVersion(), URI.create(c.getUri()), c.getSha256());
        } catch (RuntimeException ex) {
            LOG.info("skipping candidate record {}@{} ({})", r.topic(), r.offset(), ex.toString());
        }
    }

    /** Retries while the registry is unreachable: skipping a good version for a transient reason would lose it. */
    private WarmModelPublished deserialize(ConsumerRecord<String, byte[]> r) {
        DependencyOutages outages = updater.outages();
        for (int attempt = 1; ; attempt++) {
            try {
                WarmModelPublished e = events.deserialize(r.topic(), r.value());
                outages.up(DependencyOutages.Dependency.REGISTRY);
                return e;
            } catch (RuntimeException ex) {
                if (!(RegistryOutage.isOutage(ex) || transientFailure(ex)) || !thread.running()) {
                    throw ex;
                }
                outages.down(DependencyOutages.Dependency.REGISTRY, ex.toString());
                lastError = "registry unreachable reading offset " + r.offset() + ": " + ex;
                Duration pause = registryRetry.delay(attempt);
                LOG.warn("cannot decode {}@{} yet ({}); retrying in {} ms", r.topic(), r.offset(), ex, pause.toMillis());
                sleep(pause.toMillis());
            }
        }
    }

    private static String keyJson(String key) {
        return "{\"key\":\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                .quoteAsString(key == null ? "" : key)) + "\"}";
    }

    private static boolean transientFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.stop();
        }
    }

    @PreDestroy
    @Override
    public void close() {
        thread.close();
    }
}
