package io.warmstream.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmstream.scorer.ScorerServiceTest.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an RL service without a Kafka client uses, against a real scorer on the embedded broker:
 * {@code GET /v1/models/events} (warm.models as server-sent events, resumable by Last-Event-ID, bounded), the
 * Python client in {@code clients/python} (its unittest suite, run by python3 against this scorer), and the rollout
 * loop printed in the README's "For RL services" section, extracted from the README and run as it stands.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RlClientsTest {

    static final Path CLIENT = Path.of("..", "clients", "python").toAbsolutePath().normalize();
    static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();
    static final Duration WAIT = Duration.ofSeconds(60);
    static final double MEAN_V2 = -0.125;
    static final double STD_V2 = 0.75;

    final String average = "avg-clients" + UUID.randomUUID().toString().substring(0, 8);
    final List<String> prompts = List.of("How do I boil an egg?", "Name a prime number.", "Say hi");
    final List<String> responses = List.of("Eight minutes in boiling water.", "Seven.", "Hello there!");

    KafkaProducer<String, byte[]> producer;
    Serializer<WarmModelPublished> serializer;
    EmbeddedServer server;
    Path tmp;
    TinyModelStore.Stored v1;
    TinyModelStore.Stored v2;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        tmp = Files.createTempDirectory("scorer-clients");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore models = new TinyModelStore(store, tmp.resolve("work"));
        v1 = models.put("averages/" + average + "/v1", 21);
        v2 = models.put("averages/" + average + "/v2", 22);
        producer = new KafkaProducer<>(settings.producerConfig("scorer-clients", Map.of()));
        serializer = settings.serdes().valueSerializer(WarmModelPublished.class);
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put("warm.scorer.events.max-subscribers", 3);
        p.put("warm.scorer.events.heartbeat", "1s");
        server = ScorerApplication.start(p);
        publish(v1, 1, null, null);
        publish(v2, 2, MEAN_V2, STD_V2);
        awaitCurrent(2);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    void publish(TinyModelStore.Stored model, long version, Double mean, Double std) throws Exception {
        WarmModelPublished e = TinyModelStore.event(average, version, model.uri(), model.sha256(), List.of());
        e.setRewardMean(mean);
        e.setRewardStd(std);
        e.setRewardScaleItems(mean == null ? null : 10);
        e.setRewardScaleReference(mean == null ? null : "reference.jsonl@0123456789ab");
        send(average, serializer.serialize(Topics.MODELS, e));
    }

    void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.MODELS, key, value)).get(30, TimeUnit.SECONDS);
    }

    void awaitCurrent(long version) throws Exception {
        Await.until("v" + version + " served", WAIT, Duration.ofMillis(100), () -> {
            HttpURLConnection c = open("/v1/models/current", Map.of());
            return c.getResponseCode() == 200 && JSON.readTree(c.getInputStream()).path("version").asLong() == version;
        });
    }

    HttpURLConnection open(String path, Map<String, String> headers) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(server.getURL() + path).toURL().openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
        headers.forEach(c::setRequestProperty);
        return c;
    }

    /** One server-sent event as read off the wire. */
    record Sse(String id, String name, String data) {
    }

    /** Reads events, heartbeats and comments left out, until {@code until} matches one. */
    List<Sse> read(HttpURLConnection c, java.util.function.Predicate<Sse> until) throws Exception {
        List<Sse> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        Sse e = new Sse(id, name, data.toString());
                        if (!"heartbeat".equals(name)) {
                            out.add(e);
                            if (until.test(e)) {
                                return out;
                            }
                        }
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void theStreamMirrorsWarmModelsAndResumesAfterTheLastEventId() throws Exception {
        WarmModelPublished withheld = TinyModelStore.event(average, 3, v2.uri(), v2.sha256(), List.of());
        withheld.setWithheld(true);
        withheld.setWithheldReason("not better than the serving version");
        send(Topics.withheldModelKey(average), serializer.serialize(Topics.MODELS, withheld));
        send("some-other-average", null);

        HttpURLConnection c = open("/v1/models/events", Map.of());
        assertEquals(200, c.getResponseCode());
        assertTrue(c.getContentType().startsWith("text/event-stream"), c.getContentType());
        List<Sse> all = read(c, e -> e.data().contains("some-other-average"));
        List<Sse> ours = all.stream().filter(e -> e.data().contains(average) || e.data().contains("some-other-average")).toList();
        assertEquals(List.of("published", "published", "withheld", "deleted"), ours.stream().map(Sse::name).toList(), all.toString());
        assertEquals(List.of(1L, 2L, 3L), ours.subList(0, 3).stream().map(e -> version(e.data())).toList());
        assertEquals("{\"key\":\"some-other-average\"}", ours.get(3).data());
        for (int i = 1; i < ours.size(); i++) {
            assertTrue(Long.parseLong(ours.get(i).id()) > Long.parseLong(ours.get(i - 1).id()), "ids are rising offsets: " + ours);
        }
        JsonNode v2Event = JSON.readTree(ours.get(1).data());
        assertEquals(MEAN_V2, v2Event.path("rewardMean").asDouble(), 1e-12, "the record's fields travel as JSON");

        c.disconnect();
        HttpURLConnection resumed = open("/v1/models/events", Map.of("Last-Event-ID", ours.get(1).id()));
        List<Sse> after = read(resumed, e -> e.data().contains("some-other-average"));
        assertEquals(List.of(ours.get(2).id(), ours.get(3).id()), after.stream().map(Sse::id).toList(),
                "resuming after v2's id gives exactly what came after it");
        resumed.disconnect();
    }

    @Test
    @Order(2)
    void anIdleStreamGetsKeepAliveCommentsAndBadResumePointsAre400() throws Exception {
        HttpURLConnection c = open("/v1/models/events?after=999999", Map.of());
        c.setReadTimeout(3_500);
        List<String> lines = new ArrayList<>();
        long t0 = System.nanoTime();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            // Nothing is newer than offset 999999, so only keep-alives may arrive: a comment line a second.
            for (String line; lines.stream().filter(l -> l.startsWith(":")).count() < 2 && (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        long comments = lines.stream().filter(l -> l.startsWith(":")).count();
        assertEquals(2, comments, "keep-alive comments within " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + lines);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("id:")), "no event is newer than the resume point: " + lines);
        c.disconnect();

        HttpURLConnection bad = open("/v1/models/events", Map.of("Last-Event-ID", "v2"));
        assertEquals(400, bad.getResponseCode());
        JsonNode body = JSON.readTree(bad.getErrorStream());
        assertEquals("Last-Event-ID", body.path("field").asText(), body.toString());
        HttpURLConnection badAfter = open("/v1/models/events?after=-5", Map.of());
        assertEquals(400, badAfter.getResponseCode());
        assertEquals("after", JSON.readTree(badAfter.getErrorStream()).path("field").asText());
    }

    @Test
    @Order(3)
    void streamsBeyondTheLimitGet429WithRetryAfter() throws Exception {
        List<HttpURLConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HttpURLConnection c = open("/v1/models/events?after=999999", Map.of());
                assertEquals(200, c.getResponseCode(), "stream " + i);
                open.add(c);
            }
            HttpURLConnection extra = open("/v1/models/events", Map.of());
            assertEquals(429, extra.getResponseCode());
            assertEquals("5", extra.getHeaderField("Retry-After"));
            assertEquals("too_many_streams", JSON.readTree(extra.getErrorStream()).path("error").asText());
        } finally {
            open.forEach(HttpURLConnection::disconnect);
        }
        Await.until("closed streams free their places", WAIT, Duration.ofMillis(500), () -> {
            HttpURLConnection again = open("/v1/models/events?after=999999", Map.of());
            int status = again.getResponseCode();
            again.disconnect();
            return status;
        }, status -> status == 200);
    }

    @Test
    @Order(4)
    void thePythonClientPassesItsSuiteAgainstThisScorer() throws Exception {
        Path expected = tmp.resolve("expected.json");
        ObjectNode root = JSON.createObjectNode();
        root.put("average", average);
        root.set("prompts", JSON.valueToTree(prompts));
        root.set("responses", JSON.valueToTree(responses));
        ObjectNode rewards = root.putObject("rewards");
        rewards.set("1", JSON.valueToTree(TinyModelStore.score(v1.localDir(), prompts, responses)));
        rewards.set("2", JSON.valueToTree(TinyModelStore.score(v2.localDir(), prompts, responses)));
        root.putObject("scale").put("mean", MEAN_V2).put("std", STD_V2);
        Files.writeString(expected, root.toString());

        String out = python(List.of("-m", "unittest", "-v", "tests.test_scorer"), Map.of("WARM_EXPECTED", expected.toString()));
        Matcher ran = Pattern.compile("Ran (\\d+) tests").matcher(out);
        assertTrue(ran.find(), out);
        assertEquals(6, Integer.parseInt(ran.group(1)), out);
        assertTrue(out.contains("\nOK") && !out.contains("skipped"), out);
    }

    @Test
    @Order(5)
    void theReadmesRolloutLoopRunsAsPrinted() throws Exception {
        String readme = Files.readString(README);
        Matcher block = Pattern.compile("<!-- rl-loop -->\\s*```python\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md has no python block after <!-- rl-loop -->");
        Path script = tmp.resolve("rollout_loop.py");
        Files.writeString(script, block.group(1));
        String out = python(List.of(script.toString()), Map.of());
        List<String> steps = out.lines().filter(l -> l.startsWith("step ")).toList();
        assertEquals(3, steps.size(), out);
        for (String s : steps) {
            assertTrue(s.contains(" v2 "), "every step pinned the serving version 2: " + s);
        }
    }

    @Test
    @Order(6)
    void eachVersionsTrafficRewardsShowRawAndNormalisedOnTheDashboard() throws Exception {
        JsonNode versions = JSON.readTree(open("/v1/models", Map.of()).getInputStream()).get("versions");
        JsonNode one = null;
        JsonNode two = null;
        for (JsonNode v : versions) {
            if (v.get("version").asLong() == 1) one = v.get("traffic");
            if (v.get("version").asLong() == 2) two = v.get("traffic");
        }
        assertTrue(one != null && one.get("items").asLong() >= 3, "the Python suite scored with pinned v1: " + versions);
        assertTrue(!one.hasNonNull("normalizedMean"), "v1 has no scale: " + one);
        assertTrue(two != null && two.get("items").asLong() >= 3, versions.toString());
        assertEquals((two.get("rawMean").asDouble() - MEAN_V2) / STD_V2, two.get("normalizedMean").asDouble(), 1e-9);
        assertEquals(two.get("rawStd").asDouble() / STD_V2, two.get("normalizedStd").asDouble(), 1e-9);

        Path chromium = io.warmstream.scorer.drift.Chromium.find();
        Assumptions.assumeTrue(chromium != null, "no chromium binary (CI installs Debian's chromium)");
        String dom = io.warmstream.scorer.drift.Chromium.dumpDom(chromium, server.getURL() + "/dashboard", tmp.resolve("chromium"));
        Matcher row = Pattern.compile("<tr data-version=\"2\">(.*?)</tr>").matcher(dom.substring(dom.indexOf("id=\"shifts\"")));
        assertTrue(row.find(), dom);
        String cells = row.group(1);
        assertTrue(cells.contains("<td>" + String.format(java.util.Locale.ROOT, "%.3f", two.get("rawMean").asDouble()) + "</td>"), cells);
        assertTrue(cells.contains("<td>" + String.format(java.util.Locale.ROOT, "%.3f", two.get("normalizedMean").asDouble()) + "</td>"), cells);
        assertTrue(cells.contains("<td>-0.125, 0.750</td>"), "v2's reference scale: " + cells);
    }

    String python(List<String> args, Map<String, String> env) throws Exception {
        Assumptions.assumeTrue(hasPython(), "python3 is not installed");
        List<String> command = new ArrayList<>(List.of("python3"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(CLIENT.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("WARM_SCORER_URL", server.getURL().toString());
        pb.environment().put("PYTHONPATH", CLIENT.toString());
        pb.environment().remove("WARM_API_KEY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python3 did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static boolean hasPython() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    static long version(String json) {
        try {
            return JSON.readTree(json).path("version").asLong();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
