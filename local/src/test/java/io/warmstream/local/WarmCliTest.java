package io.warmstream.local;

import io.warmstream.local.stack.LocalDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing and help of every command, without starting anything. */
class WarmCliTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = WarmCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        Run r = run("--help");
        assertEquals(0, r.exit());
        for (String command : new String[] {"demo", "up", "send", "score", "export", "status", "bench", "acls"}) {
            assertTrue(r.out().contains("  " + command + " "), command + " missing from:\n" + r.out());
        }
    }

    @Test
    void aclsPrintsOneKafkaAclsCommandPerAclAndOnlyTheMergerWritesModels() {
        Run r = run("acls", "--bootstrap-servers", "kafka:9093", "--principal", "merger=warm-merger-prod");
        assertEquals(0, r.exit(), r.err());
        java.util.List<String> modelWrites = r.out().lines()
                .filter(l -> l.contains(" --operation Write ") && (l.contains(" --topic warm.models ") || l.endsWith(" --topic warm.models")))
                .toList();
        assertEquals(1, modelWrites.size(), r.out());
        assertTrue(modelWrites.get(0).startsWith("kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add"
                + " --allow-principal User:warm-merger-prod "), modelWrites.get(0));
        java.util.List<String> checkpointWrites = r.out().lines()
                .filter(l -> l.contains(" --operation Write ") && (l.contains(" --topic warm.checkpoints ") || l.endsWith(" --topic warm.checkpoints")))
                .toList();
        assertEquals(1, checkpointWrites.size(), r.out());
        assertTrue(checkpointWrites.get(0).contains("User:trainer "), checkpointWrites.get(0));
        assertTrue(r.out().contains("--transactional-id warm-merger- --resource-pattern-type prefixed"), r.out());

        Run unknown = run("acls", "--principal", "planner=x");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("ingest, trainer, merger, scorer"), unknown.err());
        Run noStack = run("acls", "--apply", "--data-dir", "/nonexistent-warm-data");
        assertEquals(2, noStack.exit());
        assertTrue(noStack.err().contains("kafka-users.properties"), noStack.err());
    }

    @Test
    void benchRefusesAnUnknownBenchmarkBeforeRunningAny() {
        Run r = run("bench", "--only", "fold,nosuch");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("unknown benchmark 'nosuch'"), r.err());
    }

    @Test
    void benchKitOptionsGoTogetherAndRunNothingElse() {
        Run weightsAlone = run("bench", "--kit-weights");
        assertEquals(2, weightsAlone.exit());
        assertTrue(weightsAlone.err().contains("--kit-weights and --kit-libtorch need --kit <dir>"), weightsAlone.err());
        Run withOnly = run("bench", "--kit", "/nonexistent-warm-kit", "--only", "model");
        assertEquals(2, withOnly.exit());
        assertTrue(withOnly.err().contains("--kit runs nothing"), withOnly.err());
        Run withQuick = run("bench", "--kit", "/nonexistent-warm-kit", "--quick");
        assertEquals(2, withQuick.exit());
        assertTrue(withQuick.err().contains("to the kit's bench.sh instead"), withQuick.err());
        Run unknown = run("bench", "--kit", "/nonexistent-warm-kit", "--kit-gpu");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unknown option: '--kit-gpu'"), unknown.err());
    }

    @Test
    void noCommandPrintsUsage() {
        Run r = run();
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: warm"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "up", "send", "score", "export", "status", "bench", "acls"})
    void everyCommandHasHelp(String command) {
        Run r = run(command, "--help");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Usage: warm " + command), r.out());
        Run viaHelp = run("help", command);
        assertEquals(r.out(), viaHelp.out());
    }

    @Test
    void versionNamesTheBuild() {
        Run r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().matches("(?s)warm \\d+\\.\\d+\\.\\d+.*Java .*"), r.out());
    }

    @Test
    void stackOptionsShowTheirDefaultsAndVariables() {
        String help = run("demo", "--help").out();
        assertTrue(help.contains("WARM_DATA_DIR"), help);
        assertTrue(help.contains("default 9092") || help.contains("WARM_KAFKA_PORT"), help);
        assertTrue(help.contains("--trainers"), help);
        assertTrue(help.contains("--rate"), help);
        assertTrue(help.contains("--set"), help);
    }

    @Test
    void clientOptionsDefaultToTheLocalStack() {
        assertTrue(run("send", "--help").out().contains("http://localhost:" + LocalDefaults.INGEST_PORT)
                || System.getenv("WARM_INGEST_URL") != null);
        assertTrue(run("score", "--help").out().contains("http://localhost:" + LocalDefaults.SCORER_PORT)
                || System.getenv("WARM_SCORER_URL") != null);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("demo", "--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("Unknown option: '--no-such-option'"), r.err());
    }

    @Test
    void badValuesAreRefusedBeforeAnythingStarts() {
        assertEquals(2, run("demo", "--rate", "0").exit());
        assertEquals(2, run("demo", "--flip-fraction", "1.5").exit());
        assertEquals(2, run("demo", "--base-model", "gpt-9").exit());
        assertEquals(2, run("demo", "--trainers", "many").exit());
    }

    @Test
    void scoreNeedsAPairOrAFile() {
        Run none = run("score");
        assertEquals(2, none.exit());
        Run half = run("score", "--prompt", "p");
        assertEquals(2, half.exit());
        assertTrue(half.err().contains("--response"), half.err());
        Run both = run("score", "--prompt", "p", "--response", "r", "--input", "x.jsonl");
        assertEquals(2, both.exit());
    }

    @Test
    void sendNeedsAFileAndSaysWhenItIsMissing() {
        assertEquals(2, run("send").exit());
        Run r = run("send", "/no/such/labels.jsonl");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("cannot read /no/such/labels.jsonl"), r.err());
    }

    @Test
    void sendToAnUnreachableIngestExplainsWhatToDo() throws Exception {
        Path file = Files.createTempFile("labels", ".jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\"}\n");
        // Port 9 (discard) on loopback refuses connections on any normal machine.
        Run r = run("send", file.toString(), "--ingest-url", "http://127.0.0.1:9", "--timeout", "2");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("unreachable") && r.err().contains("./warm up"), r.err());
    }

    @Test
    void statusWithoutAStackSaysSoAtOnce() {
        long t0 = System.nanoTime();
        Run r = run("status", "--bootstrap-servers", "127.0.0.1:9");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no Kafka broker answers at 127.0.0.1:9"), r.err());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "must not sit out Kafka's client timeouts (minutes)");
    }

    @Test
    void exportNeedsAnOutputAndFindsNothingInAnEmptyStore() throws Exception {
        assertEquals(2, run("export", "--version", "1").exit());
        Path dir = Files.createTempDirectory("warm-data");
        Run r = run("export", "--data-dir", dir.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no versions of average 'default'"), r.err());
        Run v = run("export", "--data-dir", dir.toString(), "--version", "3", "--out", dir.resolve("out").toString());
        assertEquals(1, v.exit());
        assertTrue(v.err().contains("has no version 3"), v.err());
    }

    @Test
    void exportCarriesTheVersionsRewardScaleForPython() throws Exception {
        Path data = Files.createTempDirectory("warm-data");
        Path version = data.resolve("store/averages/default/v1");
        try (io.warmstream.model.RewardModel m = io.warmstream.model.RewardModel.create(
                io.warmstream.model.BaseModels.tiny(7), io.warmstream.model.Compute.cpu())) {
            m.save(version, java.util.Map.of());
        }
        // What the merger writes next to the model files when a reference set is configured.
        Files.writeString(version.resolve("warm-average.json"), "{\"format\":\"warmstream-average\",\"version\":1,"
                + "\"rewardScale\":{\"mean\":0.125,\"std\":0.75,\"items\":12,\"reference\":\"ref.jsonl@0123456789ab\"}}");
        Path out = data.resolve("out");
        Run r = run("export", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        com.fasterxml.jackson.databind.JsonNode scale = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("reward_scale.json").toFile());
        assertEquals(0.125, scale.get("mean").asDouble(), 0);
        assertEquals(0.75, scale.get("std").asDouble(), 0);
        assertEquals("ref.jsonl@0123456789ab", scale.get("reference").asText());
        assertTrue(r.out().contains("(r - s[\"mean\"]) / s[\"std\"]"), r.out());
        io.warmstream.model.weights.ModelDirectory.verify(out); // the hashed model files are untouched
    }
}
