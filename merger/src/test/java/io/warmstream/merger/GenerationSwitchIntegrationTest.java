package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.PreferencePair;
import io.warmstream.schemas.Holdout;
import io.warmstream.testkit.ToyLabels;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generation switch with real (tiny) trained models, the real merger and the real scorer on the embedded broker and
 * registry. Generation 0's members start from one initialisation, generation 1's from another (as members of a new
 * shared head would: not linearly connected with the old ones).
 * <ol>
 *   <li>generation 0, a member trained 3 steps: version 1, served;</li>
 *   <li>generation 1's first member learned nothing: version 2 starts generation 1's own average, does not beat
 *       version 1, and is withheld; the scorer keeps serving version 1;</li>
 *   <li>generation 0 goes on: its next member folds into version 1 (never into version 2): version 3, served;</li>
 *   <li>generation 1's second member, well trained, folds into version 2: version 4 beats version 3 by more than the
 *       paired standard error and is served; the scorer swaps to it;</li>
 *   <li>a late generation 0 member folds into version 3, and version 5 is withheld: superseded generation;</li>
 *   <li>a restarted merger folds generation 1's next member into version 4, though the newest record is version 5.</li>
 * </ol>
 * Own broker, as in QualityGateIntegrationTest: the merger's held-out sample is every held-out label on the topic.
 */
class GenerationSwitchIntegrationTest extends ServingFixture.PerTestClass {

    private static final Holdout HOLDOUT = new Holdout(0.5, "merger-generations-test");

    @Test
    void aNewGenerationIsServedOnlyOnceItBeatsTheServedOneAndTheScorerServesThroughTheSwitch() throws Exception {
        String avg = "gen-" + UUID.randomUUID().toString().substring(0, 8);
        List<PreferencePair> train = fx.publishLabels("gen-labels", ToyLabels.labels("gen-label-", 480, 42), HOLDOUT);

        BaseModel head0 = BaseModels.tiny(7);
        BaseModel head1 = BaseModels.tiny(8);
        String g0a = fx.putModel(avg, "g0-a", dir -> MergerFixture.trainTiny(head0, train, 3, 3, dir));
        String g1a = fx.putModel(avg, "g1-a", dir -> TinyModels.write(dir, head1.tensors(), TinyModels.lineage()));
        String g0b = fx.putModel(avg, "g0-b", dir -> MergerFixture.trainTiny(head0, train, 4, 4, dir));
        String g1b = fx.putModel(avg, "g1-b", dir -> MergerFixture.trainTiny(head1, train, 1, 40, dir));
        String g0c = fx.putModel(avg, "g0-c", dir -> MergerFixture.trainTiny(head0, train, 5, 3, dir));
        String g1c = fx.putModel(avg, "g1-c", dir -> MergerFixture.trainTiny(head1, train, 2, 40, dir));

        EmbeddedServer merger = fx.startMerger(avg, ServingFixture.guardAndGateOn(HOLDOUT));

        fx.sendCheckpoint(avg, "g0-a", g0a, 0.9, 0);
        WarmModelPublished v1 = fx.awaitAllVersions(avg, 1).get(0);
        assertFalse(v1.getWithheld());
        assertEquals(0, v1.getGeneration());
        EmbeddedServer scorer = serving.startScorer(avg, "gen-scorer");
        serving.awaitServing(scorer, 1);

        fx.sendCheckpoint(avg, "g1-a", g1a, 0.9, 1);
        WarmModelPublished v2 = fx.awaitAllVersions(avg, 2).get(1);
        System.out.println("version 2: " + v2);
        assertEquals(1, v2.getGeneration());
        assertTrue(v2.getWithheld(), "a new generation that does not beat the served one is withheld");
        assertEquals(1L, v2.getServedVersion());
        assertEquals(1L, v2.getComparedWithVersion());
        assertFalse(v2.getPairedDifference() > v2.getPairedStandardError(), v2.toString());
        assertEquals(List.of("g1-a"), MergerFixture.jobs(v2), "generation 1 starts its own average");
        assertTrue(v2.getWithheldReason().contains("generation 1 against served generation 0"),
                v2.getWithheldReason());

        fx.sendCheckpoint(avg, "g0-b", g0b, 0.9, 0);
        WarmModelPublished v3 = fx.awaitAllVersions(avg, 3).get(2);
        System.out.println("version 3: " + v3);
        assertEquals(0, v3.getGeneration());
        assertEquals(List.of("g0-a", "g0-b"), MergerFixture.jobs(v3), "generation 0 folds into its own average, not version 2");
        assertFalse(v3.getWithheld(), v3.toString());
        serving.awaitServing(scorer, 3);
        assertEquals(0, current(scorer).path("generation").asInt());

        fx.sendCheckpoint(avg, "g1-b", g1b, 0.9, 1);
        WarmModelPublished v4 = fx.awaitAllVersions(avg, 4).get(3);
        System.out.println("version 4: " + v4);
        assertEquals(1, v4.getGeneration());
        assertEquals(List.of("g1-a", "g1-b"), MergerFixture.jobs(v4));
        assertEquals(3L, v4.getComparedWithVersion());
        assertTrue(v4.getPairedDifference() > v4.getPairedStandardError(), v4.toString());
        assertFalse(v4.getWithheld(), v4.toString());
        assertEquals(4L, v4.getServedVersion());
        serving.awaitServing(scorer, 4);
        assertEquals(1, current(scorer).path("generation").asInt());

        fx.sendCheckpoint(avg, "g0-c", g0c, 0.9, 0);
        WarmModelPublished v5 = fx.awaitAllVersions(avg, 5).get(4);
        assertEquals(0, v5.getGeneration());
        assertEquals(List.of("g0-a", "g0-b", "g0-c"), MergerFixture.jobs(v5));
        assertTrue(v5.getWithheld());
        assertTrue(v5.getWithheldReason().startsWith("superseded generation"), v5.getWithheldReason());
        assertEquals(4L, v5.getServedVersion());
        serving.await(scorer, "/v1/models", m -> ServingFixture.stateOf(m, 5).equals("withheld"));
        assertEquals(4, current(scorer).path("version").asLong());

        // Recovery rebuilds generation 1's average from version 4, though version 5 (generation 0) is the newest.
        MergerFixture.stop(merger);
        merger = fx.startMerger(avg, ServingFixture.guardAndGateOn(HOLDOUT));
        fx.awaitState(merger, s -> s.path("role").asText().equals("ACTIVE") && s.path("version").asLong() == 5
                && s.path("servedVersion").asLong() == 4);
        fx.sendCheckpoint(avg, "g1-c", g1c, 0.9, 1);
        WarmModelPublished v6 = fx.awaitAllVersions(avg, 6).get(5);
        System.out.println("version 6: " + v6);
        assertEquals(1, v6.getGeneration());
        assertEquals(List.of("g1-a", "g1-b", "g1-c"), MergerFixture.jobs(v6));
        assertTrue(v6.getKept().stream().anyMatch(k -> k.getVersion() == 5 && k.getGeneration() == 0),
                "generation 0's current version stays kept for its late members");
        JsonNode state = fx.get(merger, "/v1/merger/state");
        assertEquals(1, state.path("generation").asInt());
    }

    private JsonNode current(EmbeddedServer scorer) throws Exception {
        return fx.get(scorer, "/v1/models/current");
    }
}
