package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.trainer.work.JobDataReader;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker meets a backlog, on the embedded broker and registry with the tiny encoder: an old job of the first
 * labels, a window job of the next ones, and the newest job of all of them, queued in that order on one
 * partition. The two older ones are committed untrained with SKIPPED events naming the newest, which trains; its
 * checkpoint holds every label of the skipped jobs, so none is dropped.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerSupersedeTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private TrainerTestKit kit;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("supersede", broker, registry);
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close(); // and the trainer it started
        }
    }

    @Test
    void aCoveredJobIsSkippedAndItsLabelsAreTrainedByTheJobThatCoversThem() throws Exception {
        List<OffsetRange> first = kit.produceLabels(ToyLabels.labels("ss1-" + kit.run + "-", 30, 3));
        List<OffsetRange> next = kit.produceLabels(ToyLabels.labels("ss2-" + kit.run + "-", 30, 4));
        Instant now = Instant.now();
        TrainingJob old = Jobs.tiny("default-000001-old", first, 4).setCreatedAt(now.minusSeconds(3)).build();
        TrainingJob window = Jobs.tiny("default-000002-window", next, 4).setCreatedAt(now.minusSeconds(2)).build();
        TrainingJob newest = Jobs.tiny("default-000003-newest", union(first, next), 4)
                .setCreatedAt(now.minusSeconds(1)).build();
        // one partition, oldest first: the worker meets the old jobs before the one that covers them
        kit.produceJob(old, 2);
        kit.produceJob(window, 2);
        kit.produceJob(newest, 2);

        server = kit.startWorker("supersede-worker", Map.of());

        RewardModelCheckpoint cp = kit.readUntil(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class), seen -> !seen.isEmpty(), WAIT)
                .get(0).value();
        assertEquals(newest.getJobId(), cp.getJobId());
        assertEquals(60, cp.getTrainCount() + cp.getValidationCount(), "every label of both batches");

        List<TrainingRunEvent> events = kit.readUntil(kit.runs,
                kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> seen.stream().anyMatch(r -> r.value().getType().equals(RunEvents.FINISHED)), WAIT)
                .stream().map(ConsumerRecord::value).toList();
        for (TrainingJob skipped : List.of(old, window)) {
            List<TrainingRunEvent> life = events.stream().filter(e -> e.getJobId().equals(skipped.getJobId())).toList();
            assertEquals(1, life.size(), "one event, no STARTED: " + life);
            assertEquals(RunEvents.SKIPPED, life.get(0).getType());
            assertEquals("supersede-worker", life.get(0).getWorker());
            assertTrue(life.get(0).getReason().startsWith(RunEvents.SUPERSEDED_BY + newest.getJobId() + ","),
                    life.get(0).getReason());
            // the record names a job that ran and holds every one of its labels
            assertTrue(labelIds(newest).containsAll(labelIds(skipped)), skipped.getJobId());
        }
        assertEquals(List.of(RunEvents.STARTED, RunEvents.FINISHED), events.stream()
                .filter(e -> e.getJobId().equals(newest.getJobId()) && !e.getType().equals(RunEvents.PROGRESS))
                .map(TrainingRunEvent::getType).toList());
        assertEquals(60, labelIds(newest).size());

        awaitCommitted(new TopicPartition(kit.jobs, 2), 3);
        assertEquals(Set.of(newest.getJobId()), kit.readAll(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class)).stream()
                .map(r -> r.value().getJobId()).collect(Collectors.toSet()), "only the newest job trained");
        HttpClient http = HttpClient.newHttpClient();
        String health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(health.contains("\"skipped\":2") && health.contains("\"finished\":1"), health);
        String metrics = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("warm_trainer_jobs_total{outcome=\"skipped\"} 2.0"), metrics);
    }

    /** Per partition, from the smallest start to the largest end. */
    private static List<OffsetRange> union(List<OffsetRange> a, List<OffsetRange> b) {
        TreeMap<Integer, OffsetRange> out = new TreeMap<>();
        List<OffsetRange> all = new ArrayList<>(a);
        all.addAll(b);
        for (OffsetRange r : all) {
            out.merge(r.getPartition(), r, (x, y) -> new OffsetRange(x.getTopic(), x.getPartition(),
                    Math.min(x.getStartOffset(), y.getStartOffset()), Math.max(x.getEndOffset(), y.getEndOffset())));
        }
        return List.copyOf(out.values());
    }

    private Set<String> labelIds(TrainingJob job) throws Exception {
        try (JobDataReader reader = new JobDataReader(kit.kafka, "supersede-check-" + job.getJobId(), Duration.ofSeconds(20))) {
            return reader.read(job.getRanges(), () -> false).labels().stream().map(PreferenceLabel::getId)
                    .collect(Collectors.toSet());
        }
    }

    /** The worker group committed past the first {@code records} job records of {@code tp} (commit markers follow). */
    private void awaitCommitted(TopicPartition tp, long records) throws Exception {
        try (Admin admin = kit.kafka.admin("supersede-admin")) {
            Await.until("the commit on " + tp + " past " + records + " records", WAIT, Duration.ofMillis(200),
                    () -> admin.listConsumerGroupOffsets("workers-" + kit.run).partitionsToOffsetAndMetadata().get().get(tp),
                    c -> c != null && c.offset() >= records);
        }
    }
}
