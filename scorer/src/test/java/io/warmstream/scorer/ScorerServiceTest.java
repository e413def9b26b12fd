package io.warmstream.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.ScoreRequest;
import io.warmstream.events.ScoreResult;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import io.warmstream.events.ModelCandidate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scorer for real: HTTP on a random port, the embedded KRaft broker and Apicurio registry, tiny models in a
 * filesystem checkpoint store, and warm.models events published here (as the merger would). Methods run in order:
 * each step builds on the versions published before it.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScorerServiceTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_ITEMS = 16;
    static final int MAX_CHARS = 200;
    /** The queue test's request: MAX_ITEMS items padded to their longest pair's token bound. */
    static final List<String> FULL_PROMPTS = new ArrayList<>();
    static final List<String> FULL_RESPONSES = new ArrayList<>();
    static {
        List<String> p = List.of("How do I boil an egg?", "Summarise: the cat sat on the mat.", "Say hi");
        List<String> r = List.of("Put it in boiling water for eight minutes.", "A cat sat.", "Hello there!");
        for (int i = 0; i < MAX_ITEMS; i++) {
            FULL_PROMPTS.add(p.get(i % 3) + " " + i);
            FULL_RESPONSES.add(r.get(i % 3) + " and some more words to make the batch slower " + i);
        }
    }
    static final int FULL_REQUEST_TOKENS = MAX_ITEMS * io.warmstream.scorer.batching.TokenCost.paddedLength(FULL_PROMPTS, FULL_RESPONSES, 512);

    final String run = "t" + UUID.randomUUID().toString().substring(0, 8);
    final String average = "avg-" + run;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> prompts = List.of("How do I boil an egg?", "Summarise: the cat sat on the mat.", "Say hi");
    final List<String> responses = List.of("Put it in boiling water for eight minutes.", "A cat sat.", "Hello there!");

    EmbeddedKafka kafka;
    KafkaSettings settings;
    FileSystemCheckpointStore store;
    TinyModelStore models;
    KafkaProducer<String, byte[]> producer;
    Serializer<WarmModelPublished> eventSerializer;
    Path tmp;
    EmbeddedServer server;
    TinyModelStore.Stored v1;
    TinyModelStore.Stored v2;
    TinyModelStore.Stored memberA;
    TinyModelStore.Stored memberB;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        this.kafka = kafka;
        this.settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        this.tmp = Files.createTempDirectory("scorer-it");
        this.store = new FileSystemCheckpointStore(tmp.resolve("store"));
        this.models = new TinyModelStore(store, tmp.resolve("work"));
        this.producer = new KafkaProducer<>(settings.producerConfig("scorer-it", Map.of()));
        this.eventSerializer = settings.serdes().valueSerializer(WarmModelPublished.class);
        v1 = models.put("averages/" + average + "/v1", 1);
        v2 = models.put("averages/" + average + "/v2", 2);
        memberA = models.put("checkpoints/" + average + "/a", 11);
        memberB = models.put("checkpoints/" + average + "/b", 12);
        server = startScorer("1");
    }

    EmbeddedServer startScorer(String instance) {
        // Stream scoring and drift monitoring on: this test covers both.
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp.resolve("instance-" + instance));
        p.put("warm.scorer.stream.enabled", true);
        p.put("warm.scorer.drift.enabled", true);
        p.put("warm.scorer.limits.max-items", MAX_ITEMS);
        p.put("warm.scorer.limits.max-chars", MAX_CHARS);
        p.put("warm.scorer.batching.token-budget", FULL_REQUEST_TOKENS); // one full request of the queue test at a time
        p.put("warm.scorer.batching.threads", 2);
        p.put("warm.scorer.ens.enabled", true);
        p.put("warm.scorer.load-retry-backoff", "100ms"); // a version that fails to verify is tried once more
        p.put("warm.scorer.stream.application-id", "scorer-it-" + run);
        p.put("warm.scorer.stream.streams.commit.interval.ms", 100);
        p.put("micronaut.server.max-request-size", 64 * 1024);
        return ScorerApplication.start(p);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close(); // before the shared broker stops
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------ helpers

    void publish(WarmModelPublished event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.MODELS, event.getAverage(), eventSerializer.serialize(Topics.MODELS, event)))
                .get(30, TimeUnit.SECONDS);
    }

    void publish(long version, TinyModelStore.Stored model, List<TinyModelStore.Stored> members) throws Exception {
        publish(TinyModelStore.event(average, version, model.uri(), model.sha256(), members));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers() + " " + r.body());
        return JSON.readTree(r.body());
    }

    static String itemsBody(List<String> prompts, List<String> responses) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (int i = 0; i < prompts.size(); i++) {
            items.addObject().put("prompt", prompts.get(i)).put("response", responses.get(i));
        }
        return body.toString();
    }

    JsonNode awaitCurrent(Predicate<JsonNode> condition, String what) throws Exception {
        return Await.until(what + " on /v1/models/current", WAIT, Duration.ofMillis(50),
                () -> JSON.readTree(get("/v1/models/current").body()), condition);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) array.get(i).asDouble();
        return out;
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4f, what + " [" + i + "]");
        }
    }

    static void assertError(HttpResponse<String> r, int status, String error, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = json(r);
        assertEquals(error, e.get("error").asText(), r.body());
        if (field != null) assertEquals(field, e.get("field").asText(), r.body());
        assertFalse(e.get("message").asText().isBlank());
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void beforeAnyVersionScoringIsUnavailable() throws Exception {
        assertError(post("/v1/rewards", itemsBody(prompts, responses)), 503, "no_model", null);
        HttpResponse<String> current = get("/v1/models/current");
        assertEquals(503, current.statusCode());
        assertEquals("no_model", json(current).get("error").asText());
        assertTrue(get("/health").body().contains("DOWN"));
        // Alive though not ready: what compose's container health check asks.
        HttpResponse<String> liveness = get("/health/liveness");
        assertEquals(200, liveness.statusCode(), liveness.body());
        assertTrue(liveness.body().contains("\"status\":\"UP\""), liveness.body());
    }

    @Test
    @Order(2)
    void servesVersionOneWithTheModelsOwnRewards() throws Exception {
        publish(1, v1, List.of());
        JsonNode current = awaitCurrent(c -> c.path("version").asLong() == 1, "version 1");
        assertEquals(average, current.get("average").asText());
        assertEquals(v1.uri().toString(), current.get("uri").asText());
        assertEquals(v1.sha256(), current.get("sha256").asText());
        assertEquals(0.7, current.get("accuracy").asDouble(), 1e-9);
        assertTrue(current.hasNonNull("loadedAt"));
        assertEquals("unavailable", current.get("ensemble").get("state").asText());

        HttpResponse<String> r = post("/v1/rewards", itemsBody(prompts, responses));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(1, body.get("version").asLong());
        assertEquals("warm", body.get("mode").asText());
        assertEquals(average, body.get("average").asText());
        float[] expected = TinyModelStore.score(v1.localDir(), prompts, responses);
        assertClose(expected, floats(body.get("rewards")), "v1 rewards");

        HttpResponse<String> c = post("/v1/compare", "{\"prompt\":\"" + prompts.get(0) + "\",\"a\":\"" + responses.get(0)
                + "\",\"b\":\"" + responses.get(2) + "\"}");
        assertEquals(200, c.statusCode(), c.body());
        JsonNode cmp = json(c);
        float[] ab = TinyModelStore.score(v1.localDir(), List.of(prompts.get(0), prompts.get(0)), List.of(responses.get(0), responses.get(2)));
        assertClose(ab, floats(cmp.get("rewards")), "compare rewards");
        assertEquals(1 / (1 + Math.exp(-(ab[0] - ab[1]))), cmp.get("pAOverB").asDouble(), 1e-4);
        assertEquals(1, cmp.get("version").asLong());

        // No members: ENS can never answer for v1, so a 4xx (409), not a 503 to retry.
        assertError(post("/v1/rewards?mode=ens", itemsBody(prompts, responses)), 409, "ensemble_unavailable", "mode");
        assertTrue(get("/health").body().contains("\"status\":\"UP\""), get("/health").body());
    }

    @Test
    @Order(3)
    void badRequestsGetTheDocumentedErrors() throws Exception {
        assertError(post("/v1/rewards", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"},{\"prompt\":\"p\"}]}"), 400, "missing_field", "items[1].response");
        assertError(post("/v1/rewards", "{\"items\":[{\"prompt\":\"p\",\"response\":7}]}"), 400, "wrong_type", "items[0].response");
        assertError(post("/v1/rewards", "{\"items\": [{\"prompt\": \"p\", \"respo"), 400, "malformed_json", null);
        assertError(post("/v1/rewards", ""), 400, "empty_body", null);
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_ITEMS; i++) many.add("x");
        HttpResponse<String> tooMany = post("/v1/rewards", itemsBody(many, many));
        assertError(tooMany, 413, "too_many_items", "items");
        assertEquals(MAX_ITEMS, json(tooMany).get("limit").asInt());
        HttpResponse<String> tooLong = post("/v1/rewards", itemsBody(List.of("p", "p", "p", "p"), List.of("a", "b", "c", "d".repeat(MAX_CHARS + 1))));
        assertError(tooLong, 400, "text_too_long", "items[3].response");
        assertEquals(MAX_CHARS, json(tooLong).get("limit").asInt());
        assertError(post("/v1/rewards?mode=fast", itemsBody(prompts, responses)), 400, "bad_parameter", "mode");
        assertError(post("/v1/compare", "{\"prompt\":\"p\",\"a\":\"x\"}"), 400, "missing_field", "b");
        assertError(post("/v1/compare", "{\"prompt\":\"p\",\"a\":\"x\",\"b\":\"y\",\"c\":\"z\"}"), 400, "unknown_field", "c");
        assertError(post("/v1/rewards", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\",\"score\":1}]}"), 400, "unknown_field", "items[0].score");
        assertError(post("/v1/rewards", "{\"pad\":\"" + "x".repeat(70 * 1024) + "\"}"), 413, "payload_too_large", null);
        assertError(get("/v1/models/99/export"), 404, "unknown_version", "version");
        assertError(get("/v1/models/latest/export"), 400, "bad_parameter", "version");
        assertError(get("/v1/models/1/export?format=rar"), 400, "bad_parameter", "format");
    }

    @Test
    @Order(4)
    void aNewVersionSwapsInUnderLoadWithoutAFailedRequest() throws Exception {
        float[] r1 = TinyModelStore.score(v1.localDir(), prompts, responses);
        float[] r2 = TinyModelStore.score(v2.localDir(), prompts, responses);
        for (int i = 0; i < r1.length; i++) {
            assertTrue(Math.abs(r1[i] - r2[i]) > 1e-2, "the versions must score differently for the switch to show");
        }
        String body = itemsBody(prompts, responses);
        // 4 clients for at least 3 s, and on until 20 answers came from v2 (a slow machine loads v2 late), at most 60 s.
        long minStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        long maxStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        java.util.concurrent.atomic.AtomicInteger fromV2 = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<JsonNode>>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit((Callable<List<JsonNode>>) () -> {
                List<JsonNode> answers = new ArrayList<>();
                while (System.nanoTime() < maxStop && (System.nanoTime() < minStop || fromV2.get() < 20)) {
                    HttpResponse<String> r = post("/v1/rewards", body);
                    if (r.statusCode() != 200) {
                        throw new AssertionError("request failed during the swap: " + r.statusCode() + " " + r.body());
                    }
                    JsonNode a = JSON.readTree(r.body());
                    if (a.get("version").asLong() == 2) fromV2.incrementAndGet();
                    answers.add(a);
                }
                return answers;
            }));
        }
        Thread.sleep(700);
        publish(2, v2, List.of(memberA, memberB));
        int total = 0;
        int onV2 = 0;
        for (Future<List<JsonNode>> w : workers) {
            long previous = 0;
            for (JsonNode a : w.get(120, TimeUnit.SECONDS)) {
                long version = a.get("version").asLong();
                assertTrue(version >= previous, "versions never go back within one client");
                previous = version;
                assertClose(version == 1 ? r1 : r2, floats(a.get("rewards")), "rewards of v" + version);
                total++;
                if (version == 2) onV2++;
            }
        }
        pool.shutdown();
        assertTrue(onV2 > 0 && onV2 < total, "both versions answered: " + onV2 + " of " + total + " on v2");
        JsonNode current = awaitCurrent(c -> c.path("version").asLong() == 2, "version 2");
        assertEquals(2, current.get("memberCount").asInt());
        assertEquals(2, current.get("swaps").asLong(), "two swaps in all");
    }

    @Test
    @Order(5)
    void ensModeReturnsTheMembersMeanAndSpread() throws Exception {
        awaitCurrent(c -> c.path("ensemble").path("state").asText().equals("ready"), "ENS members of v2");
        HttpResponse<String> r = post("/v1/rewards?mode=ens", itemsBody(prompts, responses));
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("ens", body.get("mode").asText());
        assertEquals(2, body.get("members").asInt());
        assertEquals(2, body.get("version").asLong());
        float[] a = TinyModelStore.score(memberA.localDir(), prompts, responses);
        float[] b = TinyModelStore.score(memberB.localDir(), prompts, responses);
        float[] mean = new float[a.length];
        float[] std = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) / 2;
            std[i] = Math.abs(a[i] - b[i]) / 2;
        }
        assertClose(mean, floats(body.get("rewards")), "ENS mean");
        assertClose(std, floats(body.get("std")), "ENS spread");
    }

    @Test
    @Order(6)
    void brokenVersionsAreRefusedWhileTheServingOneStays() throws Exception {
        TinyModelStore.Stored badSha = models.put("averages/" + average + "/v3", 3);
        publish(TinyModelStore.event(average, 3, badSha.uri(), "0".repeat(64), List.of()));
        JsonNode c3 = awaitCurrent(c -> c.path("lastLoadError").path("version").asLong() == 3, "v3 refused");
        assertEquals(2, c3.get("version").asLong());
        assertEquals("verify", c3.get("lastLoadError").get("stage").asText());
        assertTrue(c3.get("lastLoadError").get("message").asText().contains("sha256 mismatch"));

        TinyModelStore.Stored corrupt = models.put("averages/" + average + "/v4", 4);
        Path weights = Path.of(corrupt.uri()).resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 3] ^= 0x5a;
        Files.write(weights, bytes);
        publish(4, corrupt, List.of());
        JsonNode c4 = awaitCurrent(c -> c.path("lastLoadError").path("version").asLong() == 4, "v4 refused");
        assertEquals(2, c4.get("version").asLong());
        assertEquals("verify", c4.get("lastLoadError").get("stage").asText());

        HttpResponse<String> r = post("/v1/rewards", itemsBody(prompts, responses));
        assertEquals(2, json(r).get("version").asLong());
        assertClose(TinyModelStore.score(v2.localDir(), prompts, responses), floats(json(r).get("rewards")), "still v2");

        // Each was tried twice (a failed read may have raced a directory swap), then refused for good.
        Await.until("versions 4 and 3 failed, 2 serving, 1 retired", Duration.ofSeconds(10), Duration.ofMillis(50), () -> {
            List<String> states = new ArrayList<>();
            json(get("/v1/models")).get("versions")
                    .forEach(v -> states.add(v.get("version").asLong() + ":" + v.get("state").asText()));
            return states;
        }, states -> states.equals(List.of("4:failed", "3:failed", "2:serving", "1:retired")));
        assertError(get("/v1/models/4/export"), 409, "version_invalid", "version");
        String metrics = get("/prometheus").body();
        assertTrue(metrics.contains("warm_scorer_load_failures_total{stage=\"verify\"} 4.0"), metrics);
        assertTrue(metrics.contains("warm_scorer_model_version 2.0"), metrics);
        assertTrue(metrics.contains("warm_scorer_batch_items"), metrics);
    }

    @Test
    @Order(7)
    void exportsAreArchivesOfTheVerifiedModelDirectory() throws Exception {
        for (String format : List.of("tar.gz", "zip")) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/models/2/export?format=" + format))
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Disposition").orElse("").contains(average + "-v2." + format), r.headers().toString());
            Path dir = Files.createTempDirectory(tmp, "export-" + format.replace('.', '-'));
            ArchiveContents.extract(r.body(), format, dir);
            assertClose(TinyModelStore.score(v2.localDir(), prompts, responses), TinyModelStore.score(dir, prompts, responses),
                    "exported " + format + " scores like v2");
            ArchiveContents.assertPythonReads(r.body(), format, tmp);
        }
        store.delete(v1.uri());
        assertError(get("/v1/models/1/export"), 404, "version_gone", "version");
    }

    @Test
    @Order(8)
    void scoreRequestsOnTheTopicGetResultsWithTheVersion() throws Exception {
        Serializer<ScoreRequest> requests = settings.serdes().valueSerializer(ScoreRequest.class);
        String ok = run + "-ok";
        String tooLong = run + "-long";
        String garbage = run + "-garbage";
        producer.send(new ProducerRecord<>(Topics.SCORE_REQUESTS, ok, requests.serialize(Topics.SCORE_REQUESTS,
                new ScoreRequest(ok, prompts.get(0), responses.get(0), java.time.Instant.now()))));
        producer.send(new ProducerRecord<>(Topics.SCORE_REQUESTS, garbage, new byte[] {0, 0, 0, 0, 42, 1, 2, 3}));
        producer.send(new ProducerRecord<>(Topics.SCORE_REQUESTS, tooLong, requests.serialize(Topics.SCORE_REQUESTS,
                new ScoreRequest(tooLong, "p", "x".repeat(MAX_CHARS + 1), java.time.Instant.now()))));
        producer.flush();
        Map<String, ScoreResult> results = readScores(List.of(ok, tooLong, garbage));
        ScoreResult r = results.get(ok);
        assertEquals(2L, r.getModelVersion(), r.toString());
        assertEquals(TinyModelStore.score(v2.localDir(), prompts.subList(0, 1), responses.subList(0, 1))[0], r.getReward(), 1e-4);
        assertEquals(average, r.getAverage());
        assertTrue(results.get(tooLong).getError().contains("more than the limit of " + MAX_CHARS), results.get(tooLong).toString());
        assertTrue(results.get(garbage).getError().startsWith("undecodable"), results.get(garbage).toString());
    }

    Map<String, ScoreResult> readScores(List<String> ids) {
        Deserializer<ScoreResult> d = settings.serdes().valueDeserializer(ScoreResult.class);
        Map<String, ScoreResult> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings.consumerConfig(null, "scores-reader-" + run, Map.of()))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.SCORES).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!found.keySet().containsAll(ids) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    if (ids.contains(rec.key())) found.put(rec.key(), d.deserialize(rec.topic(), rec.value()));
                }
            }
        }
        assertTrue(found.keySet().containsAll(ids), "results for " + ids + ", got " + found.keySet());
        return found;
    }

    @Test
    @Order(9)
    void aFullTokenBudgetAnswers429AndEverythingElseIsServed() throws Exception {
        String full = itemsBody(FULL_PROMPTS, FULL_RESPONSES);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            answers.add(pool.submit(() -> post("/v1/rewards", full)));
        }
        int ok = 0;
        int refused = 0;
        for (Future<HttpResponse<String>> f : answers) {
            HttpResponse<String> a = f.get(60, TimeUnit.SECONDS);
            if (a.statusCode() == 200) {
                ok++;
            } else {
                assertError(a, 429, "queue_full", null);
                assertEquals(FULL_REQUEST_TOKENS, json(a).get("limit").asInt());
                assertEquals(FULL_REQUEST_TOKENS, json(a).get("cost").asInt());
                assertEquals("1", a.headers().firstValue("Retry-After").orElse(""));
                refused++;
            }
        }
        pool.shutdown();
        assertTrue(refused > 0, "a budget holding one request must refuse some of 12 concurrent clients");
        assertTrue(ok > 0);
        assertEquals(200, post("/v1/rewards", full).statusCode(), "the queue drains");
        assertTrue(get("/prometheus").body().contains("warm_scorer_queue_rejected_total " + (refused * MAX_ITEMS) + ".0"));
    }

    @Test
    @Order(10)
    void theOpenApiDescriptionIsServed() throws Exception {
        HttpResponse<String> yml = get("/v1/openapi.yml");
        assertEquals(200, yml.statusCode());
        for (String path : List.of("/v1/rewards:", "/v1/compare:", "/v1/models/current:", "/v1/models/{version}/export:")) {
            assertTrue(yml.body().contains(path), path);
        }
        assertEquals(yml.body(), get("/swagger/warmstream-scorer.yml").body());
    }

    @Test
    @Order(11)
    void afterARestartTheNewestVersionServesDirectly() throws Exception {
        server.getApplicationContext().close();
        TinyModelStore.Stored v5 = models.put("averages/" + average + "/v5", 5);
        publish(5, v5, List.of());
        server = startScorer("2");
        JsonNode current = awaitCurrent(c -> c.path("version").asLong() == 5, "version 5 after the restart");
        assertTrue(current.path("lastLoadError").isMissingNode(), "only v5 was loaded: " + current);
        JsonNode r = json(post("/v1/rewards", itemsBody(prompts, responses)));
        assertEquals(5, r.get("version").asLong());
        assertClose(TinyModelStore.score(v5.localDir(), prompts, responses), floats(r.get("rewards")), "v5 rewards");
        List<String> states = new ArrayList<>();
        json(get("/v1/models")).get("versions").forEach(v -> states.add(v.get("version").asLong() + ":" + v.get("state").asText()));
        assertEquals(List.of("5:serving", "4:skipped", "3:skipped", "2:skipped", "1:skipped"), states);
    }

    /** The merger's candidate hint: the scorer loads it ahead and serves it on publication without loading again. */
    @Test
    @Order(12)
    void aCandidateAnnouncedAheadIsLoadedBeforeItsPublicationAndServedFromThatLoad() throws Exception {
        TinyModelStore.Stored staged = models.put("averages/" + average + "/candidates/v6", 6);
        TinyModelStore.Stored v6 = models.put("averages/" + average + "/v6", 6); // the same files, published
        assertEquals(staged.sha256(), v6.sha256());
        Serializer<ModelCandidate> hints = settings.serdes().valueSerializer(ModelCandidate.class);
        ModelCandidate hint = ModelCandidate.newBuilder().setAverage(average).setVersion(6).setUri(staged.uri().toString())
                .setSha256(staged.sha256()).setStagedAt(java.time.Instant.now()).build();
        producer.send(new ProducerRecord<>(Topics.MODEL_CANDIDATES, average,
                hints.serialize(Topics.MODEL_CANDIDATES, hint))).get(30, TimeUnit.SECONDS);
        Await.until("v6 loaded ahead", WAIT, Duration.ofMillis(50), () -> get("/prometheus").body(),
                body -> body.contains("warm_scorer_candidates_loaded_ahead_total 1.0"));
        assertEquals(5, json(get("/v1/models/current")).get("version").asLong(), "a candidate alone is never served");

        publish(6, v6, List.of());
        JsonNode current = awaitCurrent(c -> c.path("version").asLong() == 6, "version 6");
        assertTrue(current.path("freshness").path("loadedAhead").asBoolean(), current.toString());
        JsonNode r = json(post("/v1/rewards", itemsBody(prompts, responses)));
        assertEquals(6, r.get("version").asLong());
        assertClose(TinyModelStore.score(v6.localDir(), prompts, responses), floats(r.get("rewards")), "v6 rewards");

        // A hint whose weights the published version does not have: that version loads from its own directory.
        TinyModelStore.Stored staged7 = models.put("averages/" + average + "/candidates/v7", 70);
        producer.send(new ProducerRecord<>(Topics.MODEL_CANDIDATES, average, hints.serialize(Topics.MODEL_CANDIDATES,
                ModelCandidate.newBuilder(hint).setVersion(7).setUri(staged7.uri().toString())
                        .setSha256(staged7.sha256()).build()))).get(30, TimeUnit.SECONDS);
        Await.until("v7's candidate loaded ahead", WAIT, Duration.ofMillis(50), () -> get("/prometheus").body(),
                body -> body.contains("warm_scorer_candidates_loaded_ahead_total 2.0"));
        TinyModelStore.Stored v7 = models.put("averages/" + average + "/v7", 7);
        publish(7, v7, List.of());
        JsonNode c7 = awaitCurrent(c -> c.path("version").asLong() == 7, "version 7");
        assertFalse(c7.path("freshness").path("loadedAhead").asBoolean(), c7.toString());
        assertClose(TinyModelStore.score(v7.localDir(), prompts, responses),
                floats(json(post("/v1/rewards", itemsBody(prompts, responses))).get("rewards")), "v7's own rewards");
    }
}
