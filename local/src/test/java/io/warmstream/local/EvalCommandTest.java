package io.warmstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code warm eval} on the tiny preset: runs the paper checks in-process and writes a consistent report. */
class EvalCommandTest {

    @TempDir
    Path out;

    @Test
    void tinyPresetWritesAReportWithTheGivenSettings() throws Exception {
        WarmCliTest.Run r = WarmCliTest.run("eval", "--preset", "tiny", "--out", out.toString(), "--seed", "11",
                "--members", "2", "--set", "flip-fractions=0,0.25", "--validation-pairs", "12");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("warm eval, preset tiny"), r.out());
        assertTrue(r.out().contains("report: " + out.resolve("report.md").toAbsolutePath()), r.out());

        JsonNode json = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode settings = json.get("settings");
        assertEquals("tiny", settings.get("preset").asText());
        assertEquals(11, settings.get("seed").asLong());
        assertEquals(2, settings.get("members").asInt());
        assertEquals(12, settings.get("validationPairs").asInt());
        // The report's command line is one this command accepts.
        assertEquals("warm eval --preset tiny --members 2 --validation-pairs 12 --seed 11 --out " + out,
                json.get("environment").get("command").asText());
        assertEquals(2, json.get("noise").size());
        for (JsonNode level : json.get("noise")) {
            assertEquals(2, level.get("members").size());
            JsonNode byM = level.get("byM");
            assertEquals(2, byM.size());
            // With one member, ENS and WARM are that member: same numbers in the JSON.
            assertEquals(level.get("members").get(0).get("measures"), byM.get(0).get("warm"));
            assertEquals(byM.get(0).get("ens"), byM.get(0).get("warm"));
            // The mean member at M = 2 is the mean of the two members' validation accuracies.
            double mean = (level.get("members").get(0).get("measures").get("validation").asDouble()
                    + level.get("members").get(1).get("measures").get("validation").asDouble()) / 2;
            assertEquals(mean, byM.get(1).get("meanMember").get("validation").asDouble(), 1e-12);
            JsonNode first = level.get("bestOfN").get(0);
            assertEquals(1, first.get("n").asInt());
            assertEquals(first.get("random").asDouble(), first.get("warm").asDouble(), 1e-12);
            assertTrue(level.get("sanity").get("warmOfOneSameWeights").asBoolean());
        }
        int claims = json.get("claims").size();
        assertTrue(claims >= 4, json.get("claims").toString());
        assertEquals(claims, r.out().lines().filter(l -> l.startsWith("[holds] ") || l.startsWith("[contradicted] ")
                || l.startsWith("[inconclusive] ")).count(), r.out());
        assertTrue(Files.size(out.resolve("best-of-n.png")) > 0);
        assertFalse(Files.exists(out.resolve("models")));
    }

    @Test
    void badSettingsAreRefusedByName() {
        WarmCliTest.Run r = WarmCliTest.run("eval", "--preset", "tiny", "--out", out.toString(), "--set", "stepz=3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown setting --stepz"), r.err());
        WarmCliTest.Run other = WarmCliTest.run("eval", "--preset", "tiny", "--out", out.toString(), "--stepz", "3");
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("unknown setting --stepz"), other.err());
        WarmCliTest.Run preset = WarmCliTest.run("eval", "--preset", "huge", "--out", out.toString());
        assertEquals(2, preset.exit());
        assertTrue(preset.err().contains("unknown preset 'huge'"), preset.err());
    }

    @Test
    void helpNamesThePresetsAndTheCommandIsListed() {
        WarmCliTest.Run help = WarmCliTest.run("eval", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("Usage: warm eval"), help.out());
        assertTrue(help.out().contains("--preset") && help.out().contains("tiny") && help.out().contains("--set"),
                help.out());
        assertTrue(WarmCliTest.run("--help").out().contains("  eval "));
    }
}
