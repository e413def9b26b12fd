package io.warmstream.scorer.drift.report;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftReport;
import io.warmstream.platform.ConsumerThread;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.drift.DriftConfig;
import io.warmstream.scorer.kafka.TopicSetup;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The newest drift reports of this scorer's average, read from {@code warm.drift} (every partition, no group, from
 * the last {@code reports.keep} records at start), so every instance shows all reports whichever instance's
 * topology wrote them. Feeds {@link DriftGauges}. Undecodable records are logged and skipped.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class DriftReports implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftReports.class);
    private static final Comparator<DriftReport> NEWEST_FIRST = Comparator.comparing(DriftReport::getWindowEnd)
            .thenComparingLong(DriftReport::getModelVersion).reversed();

    private final String average;
    private final int keep;
    private final DriftGauges gauges;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<DriftReport> deserializer;
    private final Deque<DriftReport> reports = new ArrayDeque<>();
    private final ConsumerThread thread;

    /** {@code provisioned}: {@link TopicSetup} has created warm.drift by now (when it provisions topics). */
    public DriftReports(ScorerConfig config, DriftConfig drift, DriftGauges gauges, TopicSetup provisioned) {
        this.average = config.average();
        this.keep = drift.keepReports();
        this.gauges = gauges;
        this.deserializer = config.kafka().serdes().valueDeserializer(DriftReport.class);
        this.consumer = new KafkaConsumer<>(config.kafka().consumerConfig(null, drift.applicationId() + "-reports",
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")));
        this.thread = new ConsumerThread("warm-scorer-drift-reports", consumer, config.closeTimeout(),
                config.closeTimeout().plusSeconds(1), this::run, e -> LOG.error("drift report reader stopped", e));
        thread.start(); // after the field is set: the loop reads it
    }

    /** Up to {@code limit} reports, newest window first. */
    public synchronized List<DriftReport> newest(int limit) {
        List<DriftReport> all = new ArrayList<>(reports);
        all.sort(NEWEST_FIRST);
        return all.subList(0, Math.min(limit, all.size()));
    }

    private void run() {
        List<TopicPartition> parts = consumer.partitionsFor(Topics.DRIFT, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(parts);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(parts);
        consumer.endOffsets(parts).forEach((tp, end) -> consumer.seek(tp, Math.max(begin.get(tp), end - keep)));
        while (thread.running()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                DriftReport report;
                try {
                    report = deserializer.deserialize(r.topic(), r.value());
                } catch (RuntimeException e) {
                    LOG.warn("skipping undecodable drift report at {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    continue;
                }
                if (report != null && average.equals(report.getAverage())) {
                    add(report);
                }
            }
        }
    }

    private void add(DriftReport report) {
        synchronized (this) {
            reports.addLast(report);
            while (reports.size() > keep) {
                reports.removeFirst();
            }
        }
        gauges.report(report);
    }

    @PreDestroy
    @Override
    public void close() {
        thread.close();
    }
}
