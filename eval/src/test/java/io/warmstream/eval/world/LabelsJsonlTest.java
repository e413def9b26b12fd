package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsJsonlTest {
    private final PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.3));

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        List<LabelledPair> labels = world.labels(Split.TRAIN, 200).toList();
        Path file = dir.resolve("labels.jsonl");
        assertEquals(200, LabelsJsonl.write(labels.stream(), file));
        assertEquals(200, Files.readAllLines(file).size());
        assertEquals(labels, LabelsJsonl.read(file));
    }

    @Test
    void usesExactlyTheAgreedFieldNames() throws Exception {
        StringWriter out = new StringWriter();
        LabelsJsonl.write(world.labels(Split.OOD, 1), out);
        JsonNode node = new ObjectMapper().readTree(out.toString());
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("id", "prompt", "chosen", "rejected", "labeller", "source", "confidence", "createdAt",
                "metadata"), names);
        assertTrue(node.get("createdAt").isIntegralNumber());
        assertTrue(node.get("confidence").isNumber());
        assertEquals("ood", node.get("metadata").get("split").asText());
        assertTrue(node.get("prompt").asText().startsWith("Summarize the following post:\n"));
    }

    @Test
    void acceptsOptionalFieldsAndIsoTimes() {
        LabelledPair label = LabelsJsonl.parse("{\"id\":\"a\",\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\","
                + "\"labeller\":\"l\",\"source\":\"s\",\"createdAt\":\"2024-01-01T00:00:01Z\",\"extra\":1}");
        assertNull(label.confidence());
        assertEquals(Map.of(), label.metadata());
        assertEquals(1_704_067_201_000L, label.createdAt());
        LabelledPair withMeta = LabelsJsonl.parse("{\"id\":\"a\",\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\","
                + "\"labeller\":\"l\",\"source\":\"s\",\"confidence\":null,\"createdAt\":5,"
                + "\"metadata\":{\"n\":3,\"b\":true}}");
        assertEquals(Map.of("n", "3", "b", "true"), withMeta.metadata());
    }

    @Test
    void errorsNameTheField() {
        String base = "\"id\":\"a\",\"prompt\":\"p\",\"rejected\":\"r\",\"labeller\":\"l\",\"source\":\"s\"";
        assertMessage("missing field 'chosen'", "{" + base + ",\"createdAt\":1}");
        assertMessage("'chosen' must be a non-blank string", "{" + base + ",\"chosen\":3,\"createdAt\":1}");
        assertMessage("'confidence'", "{" + base + ",\"chosen\":\"c\",\"createdAt\":1,\"confidence\":1.5}");
        assertMessage("missing field 'createdAt'", "{" + base + ",\"chosen\":\"c\"}");
        assertMessage("'createdAt'", "{" + base + ",\"chosen\":\"c\",\"createdAt\":\"yesterday\"}");
        assertMessage("'metadata.x'", "{" + base + ",\"chosen\":\"c\",\"createdAt\":1,\"metadata\":{\"x\":{}}}");
        assertMessage("not valid JSON", "{\"id\":");
        assertMessage("must be a JSON object", "[1,2]");
    }

    private static void assertMessage(String expected, String line) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelsJsonl.parse(line));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void scanKeepsGoingPastBadLines(@TempDir Path dir) throws Exception {
        String good = LabelsJsonl.toJson(world.label(Split.TRAIN, 0));
        String text = good + "\n{\"id\":\"broken\"}\n\n" + LabelsJsonl.toJson(world.label(Split.TRAIN, 1)) + "\n";
        List<LabelledPair> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        LabelsJsonl.scan(new BufferedReader(new StringReader(text)), ok::add, (line, error) -> bad.add(line + ": " + error));
        assertEquals(List.of(world.label(Split.TRAIN, 0), world.label(Split.TRAIN, 1)), ok);
        assertEquals(List.of("2: missing field 'prompt'"), bad);

        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelsJsonl.read(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
