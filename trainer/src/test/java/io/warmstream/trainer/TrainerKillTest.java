package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.trainer.kafka.WorkerService;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.trainer.work.WorkerStatus;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two workers in one group; the one that takes the job is stopped while it trains. The other redoes the job under
 * the same id, and the checkpoints topic holds exactly one committed checkpoint for it (the stopped worker never
 * committed its outcome transaction).
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerKillTest {

    private static final Duration WAIT = Duration.ofSeconds(150);

    private TrainerTestKit kit;
    private final Map<String, EmbeddedServer> workers = new HashMap<>();

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("kill", broker, registry);
        for (String id : List.of("kill-a", "kill-b")) {
            Map<String, Object> p = new HashMap<>();
            p.put("warm.trainer.planner.enabled", false);
            p.put("warm.trainer.worker.id", id);
            p.put("warm.trainer.provision-topics", false);
            workers.put(id, TrainerTestKit.start(kit.properties(p)));
        }
    }

    @AfterAll
    void stop() {
        workers.values().forEach(s -> s.getApplicationContext().close());
        if (kit != null) {
            kit.close();
        }
    }

    private WorkerStatus status(String id) {
        return workers.get(id).getApplicationContext().getBean(WorkerService.class).worker().status();
    }

    @Test
    void aJobWhoseWorkerDiesMidRunCompletesExactlyOnceOnTheOther() throws Exception {
        // both members own partitions before the job arrives, so no rebalance moves it while it trains
        Await.until("the group to settle", WAIT, Duration.ofMillis(100),
                () -> status("kill-a").assignedPartitions() + status("kill-b").assignedPartitions() == 4
                        && status("kill-a").assignedPartitions() != 0 && status("kill-b").assignedPartitions() != 0);
        List<OffsetRange> ranges = kit.produceLabels(ToyLabels.labels("kill-" + kit.run + "-", 64, 8));
        String jobId = "kill-job";
        kit.produceJob(Jobs.tiny(jobId, ranges, 40).build());

        TrainingRunEvent firstProgress = kit.readUntil(kit.runs, kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> seen.stream().anyMatch(r -> r.value().getType().equals(RunEvents.PROGRESS)), WAIT)
                .stream().map(ConsumerRecord::value).filter(e -> e.getType().equals(RunEvents.PROGRESS)).findFirst()
                .orElseThrow();
        String victim = firstProgress.getWorker();
        String survivor = victim.equals("kill-a") ? "kill-b" : "kill-a";
        assertEquals(WorkerStatus.State.TRAINING, status(victim).state(), "killed while training");
        workers.remove(victim).getApplicationContext().close();

        List<TrainingRunEvent> events = kit.readUntil(kit.runs,
                kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> seen.stream().anyMatch(r -> r.value().getType().equals(RunEvents.FINISHED)), WAIT)
                .stream().map(ConsumerRecord::value).toList();
        TrainingRunEvent finished = events.stream().filter(e -> e.getType().equals(RunEvents.FINISHED)).findFirst().orElseThrow();
        assertEquals(survivor, finished.getWorker());
        assertTrue(events.stream().anyMatch(e -> e.getType().equals(RunEvents.STARTED) && e.getWorker().equals(victim)));
        assertTrue(events.stream().anyMatch(e -> e.getType().equals(RunEvents.STARTED) && e.getWorker().equals(survivor)));
        assertTrue(events.stream().noneMatch(e -> e.getType().equals(RunEvents.FAILED)), events.toString());

        // exactly one committed checkpoint for the job, from the survivor, and its model loads
        List<RewardModelCheckpoint> checkpoints = kit.readAll(kit.checkpoints,
                kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class)).stream().map(ConsumerRecord::value).toList();
        assertEquals(1, checkpoints.size(), checkpoints.toString());
        RewardModelCheckpoint cp = checkpoints.get(0);
        assertEquals(jobId, cp.getJobId());
        assertEquals(survivor, cp.getWorker());
        assertNotEquals(victim, cp.getWorker());
        CheckpointStore store = CheckpointStore.open(kit.store.toString());
        try (RewardModel model = RewardModel.load(store.fetch(URI.create(cp.getUri())), Compute.cpu())) {
            assertEquals(cp.getLineage(), model.lineage().id());
        }
        assertEquals(1, status(survivor).finishedJobs());
        assertEquals(1L, events.stream().filter(e -> e.getType().equals(RunEvents.FINISHED)).count());
    }
}
