package io.warmstream.merger.kafka;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code warm.preferences} and keeps the labels the shared {@link Holdout} split marks as validation in a
 * {@link HoldoutSample}: the same split the trainers hold out (same fraction and salt), so no member was trained on
 * them. No consumer group: every merger reads the topic itself, starting {@code lookback} records before the end of
 * each partition, and {@link #awaitCaughtUp} tells when it has read up to where the topic ended at start.
 */
final class HoldoutFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HoldoutFollower.class);

    private final KafkaSettings kafka;
    private final Holdout holdout;
    private final HoldoutSample sample;
    private final long lookback;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Consumer<String, byte[]> consumer;

    HoldoutFollower(KafkaSettings kafka, Holdout holdout, HoldoutSample sample, long lookback, String average) {
        this.kafka = kafka;
        this.holdout = holdout;
        this.sample = sample;
        this.lookback = lookback;
        this.thread = new Thread(this::run, "warm-merger-holdout-" + average);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** True once the labels that were on the topic at start have been read (or after {@code timeout}: false). */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        Deserializer<PreferenceLabel> deserializer = kafka.serdes().valueDeserializer(PreferenceLabel.class);
        try (Consumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumerConfig(null,
                "warm-merger-holdout-" + UUID.randomUUID(), Map.of()))) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(Topics.PREFERENCES, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
            c.assign(partitions);
            Map<TopicPartition, Long> begin = c.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                c.seek(p, Math.max(begin.get(p), end.get(p) - lookback));
            }
            long skipped = 0;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        continue;
                    }
                    try {
                        PreferenceLabel label = deserializer.deserialize(r.topic(), r.headers(), r.value());
                        if (holdout.isHeldOut(label.getId())) {
                            sample.add(label.getId(), label.getPrompt(), label.getChosen(), label.getRejected());
                        }
                    } catch (RuntimeException e) {
                        skipped++; // validated topic: should not happen; a bad record is no reason to stop
                        LOG.debug("skipped undecodable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
                if (caughtUp.getCount() > 0 && partitions.stream().allMatch(p -> c.position(p) >= end.get(p))) {
                    LOG.info("held-out sample loaded: {} labels (fraction {}, salt fingerprint {}), {} undecodable records skipped",
                            sample.size(), holdout.fraction(), holdout.saltFingerprint(), skipped);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("following {} for held-out labels failed; the LMC guard keeps the {} labels it has",
                    Topics.PREFERENCES, sample.size(), e);
        } finally {
            deserializer.close();
            caughtUp.countDown();
        }
    }

    @Override
    public void close() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
