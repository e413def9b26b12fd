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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.warmstream.scorer.ScorerServiceTest.JSON;
import static io.warmstream.scorer.ScorerServiceTest.assertClose;
import static io.warmstream.scorer.ScorerServiceTest.assertError;
import static io.warmstream.scorer.ScorerServiceTest.floats;
import static io.warmstream.scorer.ScorerServiceTest.itemsBody;
import static io.warmstream.scorer.ScorerServiceTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an RL trainer relies on, against a real scorer on the embedded broker: pinned versions (kept loaded up to
 * warm.scorer.versions.keep = 2, then 410), normalised rewards on the version's published scale, the members'
 * spread and the conservative reward, and the OpenRLHF and vLLM compatible endpoints. Methods run in order.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RlServingTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final double MEAN_V2 = 0.25;
    static final double STD_V2 = 0.5;

    final String run = "rl" + UUID.randomUUID().toString().substring(0, 8);
    final String average = "avg-" + run;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> prompts = List.of("How do I boil an egg?", "Summarise: the cat sat on the mat.", "Say hi");
    final List<String> responses = List.of("Put it in boiling water for eight minutes.", "A cat sat.", "Hello there!");

    KafkaSettings settings;
    KafkaProducer<String, byte[]> producer;
    Serializer<WarmModelPublished> serializer;
    EmbeddedServer server;
    TinyModelStore.Stored v1;
    TinyModelStore.Stored v2;
    TinyModelStore.Stored v3;
    TinyModelStore.Stored memberA;
    TinyModelStore.Stored memberB;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        Path tmp = Files.createTempDirectory("scorer-rl");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore models = new TinyModelStore(store, tmp.resolve("work"));
        v1 = models.put("averages/" + average + "/v1", 1);
        v2 = models.put("averages/" + average + "/v2", 2);
        v3 = models.put("averages/" + average + "/v3", 3);
        memberA = models.put("checkpoints/" + average + "/a", 11);
        memberB = models.put("checkpoints/" + average + "/b", 12);
        producer = new KafkaProducer<>(settings.producerConfig("scorer-rl", Map.of()));
        serializer = settings.serdes().valueSerializer(WarmModelPublished.class);
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put("warm.scorer.ens.enabled", true);
        p.put("warm.scorer.versions.keep", 2);
        p.put("warm.scorer.uncertainty.max-lambda", 5.0);
        p.put("warm.scorer.compat.query-separator", "\n<|assistant|>\n");
        server = ScorerApplication.start(p);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    void publish(long version, TinyModelStore.Stored model, Double mean, Double std) throws Exception {
        WarmModelPublished e = TinyModelStore.event(average, version, model.uri(), model.sha256(), List.of(memberA, memberB));
        e.setRewardMean(mean);
        e.setRewardStd(std);
        e.setRewardScaleItems(mean == null ? null : 12);
        e.setRewardScaleReference(mean == null ? null : "reference.jsonl@0123456789ab");
        producer.send(new ProducerRecord<>(Topics.MODELS, average, serializer.serialize(Topics.MODELS, e))).get(30, TimeUnit.SECONDS);
        awaitCurrent(version);
    }

    void awaitCurrent(long version) throws Exception {
        Await.until("v" + version + " with its members", WAIT, Duration.ofMillis(50),
                () -> JSON.readTree(get("/v1/models/current").body()),
                last -> last.path("version").asLong() == version && last.path("ensemble").path("state").asText().equals("ready"));
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

    /** The items body with extra top-level fields. */
    String withOptions(String json) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(itemsBody(prompts, responses));
        body.setAll((ObjectNode) JSON.readTree(json));
        return body.toString();
    }

    JsonNode ok(HttpResponse<String> r, long version) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Long.toString(version), r.headers().firstValue("Warm-Model-Version").orElse(null), r.headers().toString());
        JsonNode body = json(r);
        assertEquals(version, body.get("version").asLong(), r.body());
        return body;
    }

    @Test
    @Order(1)
    void aPinnedVersionAnswersAfterANewerOneSwappedIn() throws Exception {
        publish(1, v1, null, null);
        publish(2, v2, MEAN_V2, STD_V2);
        float[] one = TinyModelStore.score(v1.localDir(), prompts, responses);
        float[] two = TinyModelStore.score(v2.localDir(), prompts, responses);
        assertTrue(Math.abs(one[0] - two[0]) > 1e-3, "the two versions must score differently for this test to mean anything");

        assertClose(one, floats(ok(post("/v1/rewards", withOptions("{\"version\":1}")), 1).get("rewards")), "pinned v1");
        assertClose(two, floats(ok(post("/v1/rewards", withOptions("{\"version\":\"latest\"}")), 2).get("rewards")), "latest");
        assertClose(two, floats(ok(post("/v1/rewards", itemsBody(prompts, responses)), 2).get("rewards")), "unpinned");
        JsonNode cmp = ok(post("/v1/compare", "{\"prompt\":\"p\",\"a\":\"x\",\"b\":\"y\",\"version\":1}"), 1);
        assertClose(TinyModelStore.score(v1.localDir(), List.of("p", "p"), List.of("x", "y")), floats(cmp.get("rewards")), "pinned compare");
    }

    @Test
    @Order(2)
    void optionFieldsAreCheckedAndMisspeltOnesRefused() throws Exception {
        assertError(post("/v1/rewards", withOptions("{\"verison\":1}")), 400, "unknown_field", "verison");
        assertError(post("/v1/rewards", withOptions("{\"version\":0}")), 400, "bad_value", "version");
        assertError(post("/v1/rewards", withOptions("{\"version\":\"newest\"}")), 400, "bad_value", "version");
        assertError(post("/v1/rewards", withOptions("{\"mode\":\"both\"}")), 400, "bad_value", "mode");
        assertError(post("/v1/rewards?mode=warm", withOptions("{\"mode\":\"ens\"}")), 400, "conflicting_field", "mode");
        assertError(post("/v1/rewards", withOptions("{\"normalize\":\"yes\"}")), 400, "wrong_type", "normalize");
        assertError(post("/v1/rewards", withOptions("{\"lambda\":6}")), 400, "bad_value", "lambda");
        assertError(post("/v1/rewards", withOptions("{\"uncertainty\":true,\"mode\":\"warm\"}")), 400, "conflicting_field", "uncertainty");
        assertError(post("/v1/rewards", withOptions("{\"version\":99}")), 404, "version_not_loaded", "version");
        // v1 was published without a scale.
        assertError(post("/v1/rewards", withOptions("{\"version\":1,\"normalize\":true}")), 409, "no_reward_scale", "normalize");
    }

    @Test
    @Order(3)
    void ensInTheBodyGivesTheMembersMean() throws Exception {
        float[] a = TinyModelStore.score(memberA.localDir(), prompts, responses);
        float[] b = TinyModelStore.score(memberB.localDir(), prompts, responses);
        JsonNode body = ok(post("/v1/rewards", withOptions("{\"mode\":\"ens\"}")), 2);
        assertEquals("ens", body.get("mode").asText());
        float[] mean = new float[a.length];
        for (int i = 0; i < a.length; i++) mean[i] = (a[i] + b[i]) / 2;
        assertClose(mean, floats(body.get("rewards")), "ENS mean");
    }

    @Test
    @Order(4)
    void normalisedRewardsAreRawMinusMeanOverStd() throws Exception {
        float[] raw = TinyModelStore.score(v2.localDir(), prompts, responses);
        JsonNode body = ok(post("/v1/rewards", withOptions("{\"normalize\":true}")), 2);
        float[] expected = new float[raw.length];
        for (int i = 0; i < raw.length; i++) expected[i] = (float) ((raw[i] - MEAN_V2) / STD_V2);
        assertClose(expected, floats(body.get("rewards")), "normalised");
        assertClose(raw, floats(body.get("rawRewards")), "raw beside normalised");
        assertTrue(body.get("normalized").asBoolean());
        assertEquals(MEAN_V2, body.get("scale").get("mean").asDouble(), 1e-12);
        assertEquals(STD_V2, body.get("scale").get("std").asDouble(), 1e-12);

        // The exported archive carries the same scale for Python (reward_scale.json next to the model files).
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/models/2/export?format=zip"))
                .timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        JsonNode exported = null;
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals("reward_scale.json")) exported = JSON.readTree(in.readAllBytes());
            }
        }
        assertTrue(exported != null, "reward_scale.json in the export of a version with a scale");
        assertEquals(MEAN_V2, exported.get("mean").asDouble(), 0);
        assertEquals(STD_V2, exported.get("std").asDouble(), 0);

        JsonNode versions = json(get("/v1/models"));
        JsonNode listed = versions.get("versions").get(0);
        assertEquals(2, listed.get("version").asLong());
        assertEquals(MEAN_V2, listed.get("scale").get("mean").asDouble(), 1e-12, versions.toString());
        assertEquals(STD_V2, json(get("/v1/models/current")).get("scale").get("std").asDouble(), 1e-12);
    }

    @Test
    @Order(5)
    void uncertaintyGivesTheMembersSpreadAndTheConservativeReward() throws Exception {
        float[] a = TinyModelStore.score(memberA.localDir(), prompts, responses);
        float[] b = TinyModelStore.score(memberB.localDir(), prompts, responses);
        double lambda = 2.5;
        JsonNode body = ok(post("/v1/rewards", withOptions("{\"uncertainty\":true,\"lambda\":2.5}")), 2);
        assertEquals("ens", body.get("mode").asText());
        assertEquals(lambda, body.get("lambda").asDouble(), 0);
        float[] mean = new float[a.length];
        float[] std = new float[a.length];
        float[] conservative = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            mean[i] = (a[i] + b[i]) / 2;
            std[i] = Math.abs(a[i] - b[i]) / 2; // population std of two members
            conservative[i] = (float) (mean[i] - lambda * std[i]);
        }
        assertClose(mean, floats(body.get("rewards")), "members' mean");
        assertClose(std, floats(body.get("std")), "members' spread");
        assertClose(conservative, floats(body.get("conservative")), "conservative reward");

        JsonNode byDefault = ok(post("/v1/rewards", withOptions("{\"uncertainty\":true}")), 2);
        assertEquals(1.0, byDefault.get("lambda").asDouble(), 0, "warm.scorer.uncertainty.default-lambda");

        JsonNode normalised = ok(post("/v1/rewards", withOptions("{\"uncertainty\":true,\"lambda\":2.5,\"normalize\":true}")), 2);
        for (int i = 0; i < a.length; i++) {
            assertEquals((mean[i] - MEAN_V2) / STD_V2 - lambda * std[i] / STD_V2, normalised.get("conservative").get(i).asDouble(), 1e-4);
        }
    }

    @Test
    @Order(6)
    void anEvictedVersionIsGoneWithTheLoadedOnesListed() throws Exception {
        publish(3, v3, null, null);
        // keep = 2: v3 serves and v2 is retained; v1, least recently used, was evicted.
        float[] two = TinyModelStore.score(v2.localDir(), prompts, responses);
        assertClose(two, floats(ok(post("/v1/rewards", withOptions("{\"version\":2}")), 2).get("rewards")), "retained v2");
        HttpResponse<String> gone = post("/v1/rewards", withOptions("{\"version\":1}"));
        assertError(gone, 410, "version_gone", "version");
        JsonNode available = json(gone).get("available");
        assertEquals(List.of(3L, 2L), List.of(available.get(0).asLong(), available.get(1).asLong()), gone.body());
        assertEquals(2, available.size(), gone.body());
        assertEquals(1, json(gone).get("version").asLong());
        assertFalse(json(gone).get("message").asText().isBlank());
    }

    @Test
    @Order(7)
    void openRlhfsRemoteRewardModelProtocolIsServed() throws Exception {
        float[] expected = TinyModelStore.score(v3.localDir(), prompts, responses);
        // As OpenRLHF's remote_rm_fn sends it: whole queries, with the prompts and labels beside them.
        ObjectNode body = JSON.createObjectNode();
        for (int i = 0; i < prompts.size(); i++) {
            body.withArray("query").add(prompts.get(i) + responses.get(i));
            body.withArray("prompts").add(prompts.get(i));
            body.withArray("labels").add("");
        }
        HttpResponse<String> r = post("/get_reward", body.toString());
        JsonNode answer = ok(r, 3);
        assertClose(expected, floats(answer.get("rewards")), "OpenRLHF rewards split after their prompts");

        // Without prompts: split at the last configured separator, which stays with the prompt.
        String sep = "\n<|assistant|>\n";
        String query = "<|user|>\n" + prompts.get(0) + sep + responses.get(0);
        float[] split = TinyModelStore.score(v3.localDir(), List.of("<|user|>\n" + prompts.get(0) + sep), List.of(responses.get(0)));
        JsonNode bySeparator = ok(post("/get_reward", JSON.createObjectNode().set("query", JSON.createArrayNode().add(query)).toString()), 3);
        assertClose(split, floats(bySeparator.get("rewards")), "split at the separator");

        assertError(post("/get_reward", "{\"query\":[\"no separator here\"]}"), 400, "no_split", "query[0]");
        assertError(post("/get_reward", "{\"query\":[\"ab\"],\"prompts\":[\"x\"]}"), 400, "no_split", "query[0]");
        assertError(post("/get_reward", "{\"queries\":[\"ab\"]}"), 400, "unknown_field", "queries");
    }

    @Test
    @Order(8)
    void vllmsScoreApiShapesAreServed() throws Exception {
        String prompt = prompts.get(0);
        float[] expected = TinyModelStore.score(v3.localDir(), List.of(prompt, prompt), List.of(responses.get(0), responses.get(1)));
        for (String path : List.of("/score", "/v1/score")) {
            HttpResponse<String> r = post(path, "{\"model\":\"my-rm\",\"text_1\":" + JSON.writeValueAsString(prompt)
                    + ",\"text_2\":" + JSON.writeValueAsString(List.of(responses.get(0), responses.get(1))) + "}");
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("3", r.headers().firstValue("Warm-Model-Version").orElse(null));
            JsonNode body = json(r);
            assertEquals("list", body.get("object").asText());
            assertEquals("my-rm", body.get("model").asText());
            assertTrue(body.get("id").asText().startsWith("score-"), r.body());
            assertTrue(body.get("created").asLong() > 1_600_000_000L, r.body());
            assertTrue(body.get("usage").has("prompt_tokens"), r.body());
            JsonNode data = body.get("data");
            assertEquals(2, data.size(), r.body());
            for (int i = 0; i < 2; i++) {
                assertEquals(i, data.get(i).get("index").asInt());
                assertEquals("score", data.get(i).get("object").asText());
                assertEquals(expected[i], data.get(i).get("score").asDouble(), 1e-4, "score " + i);
            }
        }
        JsonNode pairs = json(post("/score", "{\"text_1\":[\"p\",\"q\"],\"text_2\":[\"a\",\"b\"]}"));
        float[] paired = TinyModelStore.score(v3.localDir(), List.of("p", "q"), List.of("a", "b"));
        assertEquals(paired[1], pairs.get("data").get(1).get("score").asDouble(), 1e-4);
        assertError(post("/score", "{\"text_1\":[\"p\",\"q\"],\"text_2\":[\"a\",\"b\",\"c\"]}"), 400, "wrong_length", "text_2");
        assertError(post("/score", "{\"text_1\":\"p\",\"text_2\":\"a\",\"truncate_prompt_tokens\":8}"), 400,
                "unknown_field", "truncate_prompt_tokens");
    }
}
