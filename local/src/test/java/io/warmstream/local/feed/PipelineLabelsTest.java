package io.warmstream.local.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.WorldConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineLabelsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void brokenLabelsAreRareDeterministicAndVisiblyBroken() throws Exception {
        PipelineLabels labels = new PipelineLabels(PreferenceWorld.create(WorldConfig.defaults().withSeed(5)), 0.1);
        int broken = 0;
        for (long i = 0; i < 1000; i++) {
            JsonNode label = JSON.readTree(labels.line(i, 1_700_000_000_000L));
            assertEquals("pw-5-train-" + i, label.get("id").asText());
            assertEquals(1_700_000_000_000L, label.get("createdAt").asLong(), "stamped with the send time");
            boolean bad = label.get("prompt").asText().isBlank() || !label.has("rejected")
                    || label.get("chosen").asText().equals(label.get("rejected").asText());
            assertEquals(labels.isBroken(i), bad, "label " + i + ": " + label);
            if (bad) {
                broken++;
            }
            assertEquals(labels.line(i, 1L).replace(",\"createdAt\":1,", ","),
                    labels.line(i, 2L).replace(",\"createdAt\":2,", ","), "a label's content depends on its index only");
        }
        assertTrue(broken > 60 && broken < 140, "about a tenth broken: " + broken);
        PipelineLabels clean = new PipelineLabels(PreferenceWorld.create(WorldConfig.defaults().withSeed(5)), 0.0);
        for (long i = 0; i < 200; i++) {
            assertTrue(!clean.isBroken(i));
        }
    }
}
