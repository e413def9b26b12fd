package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.trainer.plan.RunSignal;
import io.warmstream.trainer.work.RunEvents;
import io.warmstream.trainer.work.Supersession;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Labels arrive faster than one worker trains (planner and worker in one service, embedded broker and registry,
 * tiny encoder): the planner never has more than 2 of its jobs pending for the one live worker, judged from the
 * topics' own timestamps; every job ends; skipped jobs name a newer job that covers them; and once the labels stop,
 * the last job covers all of them and trains.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerBackpressureTest {

    private static final Duration WAIT = Duration.ofSeconds(180);
    private static final int PER_JOB = 20;
    private static final int BATCHES = 30;
    private static final int LIMIT = 2;

    private TrainerTestKit kit;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("backpressure", broker, registry);
        Map<String, Object> p = new HashMap<>();
        p.put("warm.trainer.worker.id", "bp-worker");
        p.put("warm.trainer.provision-topics", false); // the kit did
        p.put("warm.trainer.planner.labels-per-job", PER_JOB);
        p.put("warm.trainer.planner.min-labels", 100_000);
        p.put("warm.trainer.planner.base-model", "tiny:7");
        p.put("warm.trainer.planner.validation-fraction", 0.2);
        p.put("warm.trainer.planner.hyperparameters.batch-size", 8);
        p.put("warm.trainer.planner.hyperparameters.max-sequence-length", 32);
        p.put("warm.trainer.planner.hyperparameters.max-steps", 6);
        p.put("warm.trainer.planner.capacity.max-pending-per-worker", LIMIT);
        server = kit.startTrainer(p);
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close(); // and the trainer it started
        }
    }

    @Test
    void thePlannerStaysWithinCapacityAndTheLastJobCoversEveryLabel() throws Exception {
        int labels = PER_JOB * BATCHES;
        // A trigger every 50 ms: faster than any job ends, even one skipped as superseded (a few hundred ms), so
        // triggers must wait at the capacity limit. At 300 ms a fast machine freed capacity before every trigger.
        for (int b = 0; b < BATCHES; b++) {
            kit.produceLabels(ToyLabels.labels("bp-" + b + "-" + kit.run + "-", PER_JOB, b));
            Thread.sleep(50);
        }
        RewardModelCheckpoint last = kit.readUntil(kit.checkpoints,
                        kit.kafka.serdes().valueDeserializer(RewardModelCheckpoint.class),
                        seen -> seen.stream().anyMatch(r -> r.value().getTrainCount() + r.value().getValidationCount() == labels),
                        WAIT).stream().map(ConsumerRecord::value)
                .filter(c -> c.getTrainCount() + c.getValidationCount() == labels).findFirst().orElseThrow();

        List<ConsumerRecord<String, TrainingJob>> jobs = kit.readAll(kit.jobs,
                kit.kafka.serdes().valueDeserializer(TrainingJob.class));
        Map<String, TrainingJob> byId = jobs.stream().map(ConsumerRecord::value)
                .collect(Collectors.toMap(TrainingJob::getJobId, Function.identity()));
        assertEquals(labels, byId.get(last.getJobId()).getLabelCount(), "ALL: the last job holds every label");
        assertTrue(jobs.size() < BATCHES, jobs.size() + " jobs for " + BATCHES + " triggers: triggers waited");

        List<ConsumerRecord<String, TrainingRunEvent>> runs = kit.readUntil(kit.runs,
                kit.kafka.serdes().valueDeserializer(TrainingRunEvent.class),
                seen -> endings(seen).keySet().containsAll(byId.keySet()), WAIT);
        Map<String, ConsumerRecord<String, TrainingRunEvent>> ended = endings(runs);
        assertEquals(jobs.size(), runs.stream().filter(r -> RunSignal.ENDINGS.contains(r.value().getType())).count(),
                "every job ends exactly once");
        assertTrue(ended.values().stream().noneMatch(r -> r.value().getType().equals(RunEvents.FAILED)), ended.toString());

        // at each job's planning, the jobs planned before it and not ended yet (by the topics' timestamps)
        for (ConsumerRecord<String, TrainingJob> job : jobs) {
            long at = job.timestamp();
            long pending = jobs.stream().filter(j -> j != job && j.timestamp() <= at
                    && ended.get(j.key()).timestamp() > at).count();
            assertTrue(pending < LIMIT, "when " + job.key() + " was planned, " + pending + " job(s) were pending");
        }
        for (ConsumerRecord<String, TrainingRunEvent> e : ended.values()) {
            if (e.value().getType().equals(RunEvents.SKIPPED)) {
                String newer = e.value().getReason().substring(RunEvents.SUPERSEDED_BY.length()).split(",")[0];
                assertNotNull(byId.get(newer), e.value().getReason());
                assertTrue(Supersession.supersedes(byId.get(newer), byId.get(e.key())), e.value().getReason());
            }
        }
        assertFalse(ended.get(last.getJobId()).value().getType().equals(RunEvents.SKIPPED));
    }

    private static Map<String, ConsumerRecord<String, TrainingRunEvent>> endings(
            List<ConsumerRecord<String, TrainingRunEvent>> runs) {
        return runs.stream().filter(r -> RunSignal.ENDINGS.contains(r.value().getType()))
                .collect(Collectors.toMap(ConsumerRecord::key, Function.identity(), (a, b) -> a));
    }
}
