package io.warmstream.merger;

import com.fasterxml.jackson.databind.JsonNode;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.merger.state.VersionSidecar;
import io.warmstream.model.RewardModel;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each published version carries its reward scale: the mean and standard deviation of its rewards on the fixed
 * reference set, in the warm.models event and in its directory's warm-average.json, equal to what the version's
 * model gives on those items computed here.
 */
class RewardScaleIntegrationTest extends MergerFixture.PerTestClass {

    static final List<String> PROMPTS = List.of("How do I boil an egg?", "How do I boil an egg?", "Say hi", "Say hi",
            "Summarise: the cat sat on the mat.");
    static final List<String> RESPONSES = List.of("Eight minutes in boiling water.", "Fry it.", "Hello there!", "No.",
            "A cat sat.");

    @Test
    void everyVersionCarriesMeanAndStdOfItsRewardsOnTheReferenceSet() throws Exception {
        Path reference = Files.createTempDirectory("reference").resolve("reference.jsonl");
        // Both formats: a preference pair counts as two items, a single response as one.
        Files.writeString(reference, String.join("\n",
                "{\"prompt\":\"How do I boil an egg?\",\"chosen\":\"Eight minutes in boiling water.\",\"rejected\":\"Fry it.\"}",
                "{\"prompt\":\"Say hi\",\"chosen\":\"Hello there!\",\"rejected\":\"No.\"}",
                "",
                "{\"prompt\":\"Summarise: the cat sat on the mat.\",\"response\":\"A cat sat.\"}"));
        String avg = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        io.micronaut.runtime.server.EmbeddedServer server = fx.startMerger(avg, Map.of("warm.merger.reference.set", reference.toString()));
        for (int i = 1; i <= 2; i++) {
            long seed = 300 + i;
            fx.sendCheckpoint(avg, "job-" + i, fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, seed)), 0.8);
        }
        List<WarmModelPublished> versions = fx.awaitVersions(avg, 2);
        double firstMean = Double.NaN;
        for (WarmModelPublished v : versions) {
            Path dir = fx.store.fetch(URI.create(v.getUri()));
            float[] r;
            try (RewardModel m = RewardModel.load(dir)) {
                r = m.score(PROMPTS, RESPONSES);
            }
            double mean = 0;
            for (float x : r) mean += x;
            mean /= r.length;
            double sq = 0;
            for (float x : r) sq += (x - mean) * (x - mean);
            double std = Math.sqrt(sq / r.length);
            assertEquals(mean, v.getRewardMean(), 1e-5, "v" + v.getVersion() + " mean");
            assertEquals(std, v.getRewardStd(), 1e-5, "v" + v.getVersion() + " std");
            assertTrue(std > 0);
            assertEquals(5, v.getRewardScaleItems());
            assertTrue(v.getRewardScaleReference().startsWith("reference.jsonl@"), v.getRewardScaleReference());

            JsonNode sidecar = MergerFixture.JSON.readTree(dir.resolve(VersionSidecar.FILE).toFile()).get("rewardScale");
            assertEquals(v.getRewardMean(), sidecar.get("mean").asDouble(), 1e-12);
            assertEquals(v.getRewardStd(), sidecar.get("std").asDouble(), 1e-12);
            assertEquals(v.getRewardScaleReference(), sidecar.get("reference").asText());
            if (v.getVersion() == 1) firstMean = v.getRewardMean();
        }
        assertNotEquals(firstMean, versions.get(1).getRewardMean(), "a new member moves the scale");

        // A rollback republishes the target's rewards, so it carries the target's scale.
        assertEquals(200, fx.post(server, "/v1/merger/rollback/1").statusCode());
        WarmModelPublished rolled = fx.awaitVersions(avg, 3).get(2);
        assertEquals(1L, rolled.getRollbackOf());
        assertEquals(versions.get(0).getRewardMean(), rolled.getRewardMean(), 0);
        assertEquals(versions.get(0).getRewardStd(), rolled.getRewardStd(), 0);
        assertEquals(versions.get(0).getRewardScaleReference(), rolled.getRewardScaleReference());
    }
}
