package io.warmstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.eval.world.LabelsJsonl;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.security.Roles;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code warm send} against a real ingest service on the embedded broker and registry. */
@ExtendWith(EmbeddedInfraExtension.class)
class SendCommandTest {

    private static EmbeddedServer ingest;
    private static KafkaSettings kafka;
    private static Path stateDir;
    private static Path dataDir;

    @BeforeAll
    static void startIngest(EmbeddedKafka broker, EmbeddedRegistry registry) throws Exception {
        kafka = KafkaSettings.of(broker.bootstrapServers(), registry.ccompatUrl());
        try (Admin admin = kafka.admin("send-test")) {
            kafka.provision(admin, Topics.all());
        }
        stateDir = Files.createTempDirectory("send-test-state");
        // Security on, as deployed: warm send must present the labeller key.
        dataDir = Files.createTempDirectory("send-test-data");
        LocalSecrets secrets = LocalSecrets.loadOrCreate(dataDir);
        ingest = IngestApplication.start(Map.of(
                "warm.security.keys-file", secrets.credentials().keysFile().toString(),
                "warm.kafka.bootstrap-servers", broker.bootstrapServers(),
                "warm.registry.url", registry.ccompatUrl(),
                "warm.ingest.provision-topics", false,
                "warm.ingest.topology.state-dir", stateDir.toString()));
    }

    @AfterAll
    static void stop() {
        if (ingest != null) {
            ingest.getApplicationContext().close();
        }
    }

    @Test
    void goodLinesGoThroughAndBadOnesAreReportedWithTheirLineNumbers() throws Exception {
        long seed = System.nanoTime() & 0xFFFFFF;
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withSeed(seed));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(LabelsJsonl.toJson(world.label(Split.TRAIN, i)));
        }
        // Bad lines at known places, spread over several batches of 7.
        lines.set(2, "{\"id\":\"bad-blank-" + seed + "\",\"prompt\":\"  \",\"chosen\":\"a\",\"rejected\":\"b\"}");   // line 3
        lines.set(9, "this is not json");                                                                       // line 10
        lines.add(10, "");                                                                                      // line 11, skipped
        lines.set(20, "{\"id\":\"bad-missing-" + seed + "\",\"prompt\":\"p\",\"chosen\":\"a\"}");              // line 21
        lines.set(33, "{\"id\":\"bad-type-" + seed + "\",\"prompt\":\"p\",\"chosen\":\"a\",\"rejected\":7}");   // line 34
        Path file = Files.createTempFile("labels", ".jsonl");
        Files.write(file, lines);
        Path rejects = Files.createTempFile("rejects", ".jsonl");

        WarmCliTest.Run anonymous = WarmCliTest.run("send", file.toString(), "--ingest-url", "http://localhost:" + ingest.getPort(),
                "--data-dir", Files.createTempDirectory("no-keys").toString(), "-q");
        assertTrue(anonymous.exit() != 0 && (anonymous.out() + anonymous.err()).contains("HTTP 401"), anonymous.out() + anonymous.err());

        // The key comes from the stack's data directory by itself.
        WarmCliTest.Run r = WarmCliTest.run("send", file.toString(), "--ingest-url", "http://localhost:" + ingest.getPort(),
                "--data-dir", dataDir.toString(), "--batch-size", "7", "--rejects", rejects.toString());

        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("sent 40 labels"), r.out());
        assertTrue(r.out().contains("36 accepted, 4 rejected"), r.out());
        assertTrue(r.out().contains("line 3: prompt: blank"), r.out());
        assertTrue(r.out().contains("line 10: malformed_json (line 10, column"), r.out());
        assertTrue(r.out().contains("line 21: rejected: missing"), r.out());
        assertTrue(r.out().contains("line 34: rejected: wrong_type"), r.out());
        ObjectMapper json = new ObjectMapper();
        List<Long> rejectedLines = new ArrayList<>();
        for (String line : Files.readAllLines(rejects)) {
            JsonNode node = json.readTree(line);
            rejectedLines.add(node.get("line").asLong());
        }
        assertEquals(List.of(3L, 10L, 21L, 34L), rejectedLines);

        // Every accepted label reaches the validated topic, once; sending the file again adds nothing.
        String prefix = "pw-" + seed + "-train-";
        assertEquals(36, TopicReader.awaitKeys(kafka, Topics.PREFERENCES, prefix, 36, Duration.ofSeconds(60)).size());
        WarmCliTest.Run again = WarmCliTest.run("send", file.toString(), "--ingest-url", "http://localhost:" + ingest.getPort(),
                "--api-key", LocalSecrets.existingKey(dataDir, Roles.LABELLER).orElseThrow(), "-q");
        assertEquals(3, again.exit());
        Thread.sleep(3000);
        List<String> keys = TopicReader.keys(kafka, Topics.PREFERENCES, prefix);
        assertEquals(36, keys.size(), "resent labels must be dropped as duplicates");
        assertEquals(36, Set.copyOf(keys).size());
    }
}
