package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.Member;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.kafka.CrashPoint;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly once across crashes: a merger halted at each point of a checkpoint's handling (weights written, event
 * sent, offsets sent, committed) and replaced by a fresh one ends in the same state as an uninterrupted run: same
 * versions 1..N with no gap or repeat, same members, bit-identical weights. And a second merger of the same average
 * stands by until the first leaves, then takes over.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashRecoveryTest {

    private static final int CHECKPOINTS = 4;
    private static final long[] SEEDS = {11, 12, 13, 14};

    private MergerFixture fx;
    private WarmModelPublished reference;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        fx = new MergerFixture(kafka, registry);
        // The uninterrupted run every crashed one must match.
        String avg = "reference-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer server = fx.startMerger(avg, Map.of());
        sendAll(avg, 0, CHECKPOINTS);
        List<WarmModelPublished> versions = fx.awaitVersions(avg, CHECKPOINTS);
        MergerFixture.stop(server);
        reference = versions.get(CHECKPOINTS - 1);
        List<List<NamedTensor>> members = new ArrayList<>();
        for (long s : SEEDS) {
            members.add(TinyModels.memberTensors(s));
        }
        Tensors.assertBatchMean(reference.getUri(), members);
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void aMergerKilledAtAnyPointIsReplacedWithoutLossOrDoubleCounting(CrashPoint point) throws Exception {
        String avg = "crash-" + point.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
        EmbeddedServer first = fx.startMerger(avg, Map.of("warm.merger.debug.crash-at", point.name() + "@2"));
        sendAll(avg, 0, CHECKPOINTS);
        fx.awaitState(first, s -> s.path("role").asText().equals("CRASHED"));

        // What the killed merger left: v2's directory is written in every case; v2 is committed only after the commit.
        List<WarmModelPublished> committed = fx.versions(avg);
        assertEquals(point == CrashPoint.AFTER_COMMIT ? 2 : 1, committed.size(), committed.toString());
        assertTrue(Files.isDirectory(fx.store.root().resolve("averages").resolve(avg).resolve("v2")));

        EmbeddedServer second = fx.startMerger(avg, Map.of());
        List<WarmModelPublished> versions = fx.awaitVersions(avg, CHECKPOINTS);
        JsonNode state = fx.awaitState(second, s -> s.path("version").asLong() == CHECKPOINTS);
        MergerFixture.stop(second);
        MergerFixture.stop(first);

        assertEquals(List.of(1L, 2L, 3L, 4L), versions.stream().map(WarmModelPublished::getVersion).toList());
        WarmModelPublished last = versions.get(CHECKPOINTS - 1);
        assertEquals(jobs(reference), jobs(last));
        assertEquals(reference.getFolds(), last.getFolds());
        assertEquals(reference.getSha256(), last.getSha256(), "bit-identical weights");
        assertEquals(reference.getSha256(), Tensors.load(last.getUri()).sha256());
        assertEquals(CHECKPOINTS, state.path("memberCount").asInt());
        assertEquals(0, state.path("checkpointsRejected").asLong(), "no checkpoint seen as a duplicate");
    }

    @Test
    void aSecondMergerStandsByAndTakesOverWhenTheFirstLeaves() throws Exception {
        String avg = "standby-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedServer a = fx.startMerger(avg, Map.of());
        fx.awaitState(a, s -> s.path("role").asText().equals("ACTIVE"));
        EmbeddedServer b = fx.startMerger(avg, Map.of());
        fx.awaitState(b, s -> s.path("role").asText().equals("STANDBY"));

        sendAll(avg, 0, 2);
        fx.awaitVersions(avg, 2);
        assertEquals("STANDBY", fx.get(b, "/v1/merger/state").path("role").asText());
        assertEquals(409, fx.post(b, "/v1/merger/rollback/1").statusCode(), "a standby refuses admin writes");

        MergerFixture.stop(a);
        JsonNode taken = fx.awaitState(b, s -> s.path("role").asText().equals("ACTIVE"));
        assertEquals(2, taken.path("version").asLong(), "the standby recovers the state from warm.models");
        sendAll(avg, 2, CHECKPOINTS);
        List<WarmModelPublished> versions = fx.awaitVersions(avg, CHECKPOINTS);
        assertEquals(List.of(1L, 2L, 3L, 4L), versions.stream().map(WarmModelPublished::getVersion).toList());
        assertEquals(reference.getSha256(), versions.get(CHECKPOINTS - 1).getSha256());
        assertNotEquals(fx.get(b, "/v1/merger/state").path("uri").asText(), "");
        MergerFixture.stop(b);
    }

    private void sendAll(String avg, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            long seed = SEEDS[i];
            // Members are shared by every run: the same directory, written once.
            Path dir = fx.store.root().resolve("checkpoints").resolve("shared").resolve("job-" + seed);
            synchronized (CrashRecoveryTest.class) {
                if (!Files.exists(dir)) {
                    TinyModels.member(dir, seed);
                }
            }
            fx.sendCheckpoint(avg, "job-" + seed, dir.toUri().toString(), 0.9);
        }
    }

    private static List<String> jobs(WarmModelPublished v) {
        return v.getMembers().stream().map(Member::getJobId).toList();
    }
}
