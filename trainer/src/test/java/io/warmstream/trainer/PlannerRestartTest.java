package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import io.warmstream.testkit.ToyLabels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner on the real broker across a restart with its local state wiped: the state comes back from the
 * changelog, so the jobs after the restart continue the sequence with exact ranges, none lost, none repeated.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlannerRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private TrainerTestKit kit;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) {
        kit = new TrainerTestKit("restart", broker, registry);
    }

    @AfterAll
    void stop() {
        if (kit != null) {
            kit.close();
        }
    }

    private EmbeddedServer planner() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("warm.trainer.worker.enabled", false);
        p.put("warm.trainer.provision-topics", false); // the kit did
        p.put("warm.trainer.planner.labels-per-job", 20);
        p.put("warm.trainer.planner.min-labels", 1000);
        p.put("warm.trainer.planner.base-model", "tiny:7");
        // No worker runs here, so no job would ever end: without this the planner stops at 2 pending jobs.
        p.put("warm.trainer.planner.capacity.max-pending-per-worker", 0);
        // 80 labels are 4x the first head's 20: without this the fourth job would start a new generation
        p.put("warm.trainer.planner.generations.refit-factor", 0);
        // a fresh state directory each start: the state must come back from the changelog
        p.put("warm.trainer.planner.state-dir", Files.createTempDirectory("planner-restart").toString());
        return TrainerTestKit.start(kit.properties(p));
    }

    private List<TrainingJob> jobs(int atLeast) {
        return kit.readUntil(kit.jobs, kit.kafka.serdes().valueDeserializer(TrainingJob.class),
                seen -> seen.size() >= atLeast, WAIT).stream().map(ConsumerRecord::value)
                .sorted(java.util.Comparator.comparing(TrainingJob::getJobId)).toList();
    }

    @Test
    void aRestartNeitherLosesNorRepeatsATrigger() throws Exception {
        List<OffsetRange> first = kit.produceLabels(ToyLabels.labels("r1-" + kit.run + "-", 50, 1));
        EmbeddedServer server = planner();
        List<TrainingJob> before = jobs(2);
        server.getApplicationContext().close();

        List<OffsetRange> second = kit.produceLabels(ToyLabels.labels("r2-" + kit.run + "-", 30, 2));
        server = planner();
        try {
            List<TrainingJob> all = jobs(4); // jobs are spread over partitions: sorted by id, i.e. by sequence
            Thread.sleep(2000); // a repeated trigger would show up by now
            all = kit.readAll(kit.jobs, kit.kafka.serdes().valueDeserializer(TrainingJob.class)).stream()
                    .map(ConsumerRecord::value).sorted(java.util.Comparator.comparing(TrainingJob::getJobId)).toList();
            assertEquals(4, all.size(), "80 labels, a job every 20: " + all.stream().map(TrainingJob::getJobId).toList());
            assertEquals(before, all.subList(0, 2));
            for (int i = 0; i < 4; i++) {
                assertTrue(all.get(i).getJobId().startsWith("default-00000" + (i + 1) + "-"), all.get(i).getJobId());
                assertEquals(20L * (i + 1), all.get(i).getLabelCount());
            }
            // the last job covers every label, exactly: per partition from the first offset to the last produced + 1
            TreeMap<Integer, long[]> expected = new TreeMap<>();
            for (OffsetRange r : first) {
                expected.put(r.getPartition(), new long[] {r.getStartOffset(), r.getEndOffset()});
            }
            for (OffsetRange r : second) {
                expected.merge(r.getPartition(), new long[] {r.getStartOffset(), r.getEndOffset()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            TreeMap<Integer, long[]> actual = new TreeMap<>();
            for (OffsetRange r : all.get(3).getRanges()) {
                actual.put(r.getPartition(), new long[] {r.getStartOffset(), r.getEndOffset()});
            }
            assertEquals(expected.keySet(), actual.keySet());
            expected.forEach((p, se) -> assertEquals(List.of(se[0], se[1]), List.of(actual.get(p)[0], actual.get(p)[1]),
                    "partition " + p));
            assertEquals(all.get(0).getSharedHead(), all.get(3).getSharedHead(), "one head for the average");
        } finally {
            server.getApplicationContext().close();
        }
    }
}
