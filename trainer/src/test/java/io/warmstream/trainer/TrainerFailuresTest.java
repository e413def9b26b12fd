package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.RewardHead;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.trainer.work.SharedHeads;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker-only trainer against bad input: an undecodable job record and an invalid job go to the dead-letter
 * topic (and end with a FAILED event), a job whose labels were deleted, one whose base does not load and one with impossible hyperparameters end
 * FAILED with their reasons, and a good
 * job among them still trains. Every one of them is committed: none is retried.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerFailuresTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private TrainerTestKit kit;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("fail", broker, registry);
        server = kit.startWorker("fail-worker", Map.of());
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close(); // and the trainer it started
        }
    }

    @Test
    void badJobsAreReportedAndTheGoodOneStillTrains() throws Exception {
        // data gone: the start of a first batch is deleted (as retention would), before the good labels arrive
        List<OffsetRange> doomed = kit.produceLabels(ToyLabels.labels("gone-" + kit.run + "-", 30, 6));
        OffsetRange d = doomed.get(0);
        try (Admin admin = kit.kafka.admin("fail-admin")) {
            admin.deleteRecords(Map.of(new TopicPartition(d.getTopic(), d.getPartition()),
                    RecordsToDelete.beforeOffset(d.getStartOffset() + 3))).all().get();
        }
        List<OffsetRange> ranges = kit.produceLabels(ToyLabels.labels("fail-" + kit.run + "-", 96, 5));
        OffsetRange first = ranges.get(0);
        // the head is fitted from a part of the labels that is not the job's own ranges
        OffsetRange headPart = new OffsetRange(first.getTopic(), first.getPartition(), first.getStartOffset(),
                first.getStartOffset() + (first.getEndOffset() - first.getStartOffset()) / 2);

        byte[] garbage = "not an avro job".getBytes(StandardCharsets.UTF_8);
        // all on one partition, so the worker meets them in this order
        kit.send(kit.jobs, 1, "garbage", garbage);
        kit.produceJob(Jobs.tiny("invalid-job", List.of(), 4).build(), 1);
        kit.produceJob(Jobs.tiny("no-base", ranges, 4).setBaseModel("no-such-model").build(), 1);
        kit.produceJob(Jobs.tiny("good", ranges, 12).setSharedHead("heads/default/fail-test")
                .setSharedHeadRanges(List.of(headPart)).build(), 1);
        kit.produceJob(Jobs.tiny("gone", List.of(d), 4).build(), 1);
        TrainingJob badHp = Jobs.tiny("bad-hyperparameters", ranges, 4).build();
        badHp.getHyperparameters().setDropout(1.5);
        kit.produceJob(badHp, 1);


        // dead letters: original bytes, reason, field and source in the headers
        List<ConsumerRecord<String, byte[]>> dead = kit.readUntil(kit.jobsDlq, new ByteArrayDeserializer(),
                seen -> seen.size() >= 2, WAIT);
        ConsumerRecord<String, byte[]> undecodable = byKey(dead, "garbage");
        assertArrayEquals(garbage, undecodable.value());
        assertTrue(DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.REASON).startsWith("undecodable training job"),
                DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.REASON));
        assertEquals(kit.jobs, DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.SOURCE_TOPIC));
        assertTrue(DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.ERROR_CLASS).endsWith("SerializationException"));
        ConsumerRecord<String, byte[]> invalid = byKey(dead, "invalid-job");
        assertEquals("ranges", DeadLetterHeaders.read(invalid.headers(), DeadLetterHeaders.FIELD));
        assertTrue(DeadLetterHeaders.read(invalid.headers(), DeadLetterHeaders.REASON).contains("at least one offset range"));

        // the good job trains, with the shared head fitted from its own labels
        RewardModelCheckpoint cp = kit.readUntil(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class), seen -> !seen.isEmpty(), WAIT)
                .get(0).value();
        assertEquals("good", cp.getJobId());
        assertEquals(96, cp.getTrainCount() + cp.getValidationCount());
        CheckpointStore store = CheckpointStore.open(kit.store.toString());
        RewardHead head = RewardHead.load(store.fetch(store.uriOf("heads/default/fail-test")).resolve(SharedHeads.HEAD_FILE));
        assertEquals(cp.getLineage(), head.lineageId());

        // the failures, with their reasons
        List<TrainingRunEvent> events = kit.readUntil(kit.runs, kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> failed(seen, "gone").isPresent() && failed(seen, "no-base").isPresent()
                        && failed(seen, "bad-hyperparameters").isPresent(), WAIT)
                .stream().map(ConsumerRecord::value).toList();
        String gone = failed(events, "gone").orElseThrow();
        assertTrue(gone.contains("are gone") && gone.contains("now starts at offset " + (d.getStartOffset() + 3)), gone);
        String noBase = failed(events, "no-base").orElseThrow();
        assertTrue(noBase.contains("base model 'no-such-model' does not load"), noBase);
        String badHpReason = failed(events, "bad-hyperparameters").orElseThrow();
        assertTrue(badHpReason.contains("bad hyperparameters: dropout must be in [0, 1)"), badHpReason);
        assertTrue(events.stream().anyMatch(e -> e.getJobId().equals("good") && e.getType().equals(RunEvents.FINISHED)));
        // dead-lettered records end with a FAILED event too, so a planner counting pending jobs sees them end
        List<TrainingRunEvent> withDeadLetters = kit.readUntil(kit.runs,
                kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> failed(seen, "garbage").isPresent() && failed(seen, "invalid-job").isPresent(), WAIT)
                .stream().map(ConsumerRecord::value).toList();
        String invalidReason = failed(withDeadLetters, "invalid-job").orElseThrow();
        assertTrue(invalidReason.startsWith("dead-lettered to " + kit.jobsDlq + ": invalid training job"), invalidReason);
        assertTrue(failed(withDeadLetters, "garbage").orElseThrow().contains("undecodable training job"));

        // every job record is committed: nothing will run again
        long end = 0;
        try (Admin admin = kit.kafka.admin("fail-admin-2")) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("workers-" + kit.run)
                        .partitionsToOffsetAndMetadata().get();
                long total = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                // six job records; each commit also leaves a transaction marker behind it, so compare with records read
                end = kit.readAll(kit.jobs, new ByteArrayDeserializer()).size();
                if (committedCoversAll(committed, kit.readAll(kit.jobs, new ByteArrayDeserializer()))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("committed " + committed + " (sum " + total + ") does not cover " + end + " jobs");
                }
                Thread.sleep(200);
            }
        }
        assertEquals(6, end);
    }

    private static boolean committedCoversAll(Map<TopicPartition, OffsetAndMetadata> committed,
                                              List<ConsumerRecord<String, byte[]>> jobs) {
        for (ConsumerRecord<String, byte[]> r : jobs) {
            OffsetAndMetadata c = committed.get(new TopicPartition(r.topic(), r.partition()));
            if (c == null || c.offset() <= r.offset()) {
                return false;
            }
        }
        return true;
    }

    private static <V> ConsumerRecord<String, V> byKey(List<ConsumerRecord<String, V>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).findFirst()
                .orElseThrow(() -> new AssertionError("no record with key " + key));
    }

    private static Optional<String> failed(List<?> events, String jobId) {
        return events.stream().map(e -> e instanceof ConsumerRecord<?, ?> r ? (TrainingRunEvent) r.value() : (TrainingRunEvent) e)
                .filter(e -> e.getJobId().equals(jobId) && e.getType().equals(RunEvents.FAILED))
                .map(TrainingRunEvent::getReason).findFirst();
    }
}
