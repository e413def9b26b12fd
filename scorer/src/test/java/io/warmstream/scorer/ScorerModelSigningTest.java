package io.warmstream.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.Sha256;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scorer with a model signing key (embedded broker and registry, filesystem store): it serves a signed version,
 * refuses a forged one (issue 15's swapped tokenizer with its hash rewritten in the manifest) and one signed with
 * another key, keeps serving the signed one, and refuses to export the forged one; an ENS member that is forged keeps
 * the ensemble from loading.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorerModelSigningTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final ModelSigningKeys KEYS = ModelSigningKeys.of(key(21));
    static final ModelSigningKeys OTHER = ModelSigningKeys.of(key(22));

    final String average = "signed-" + UUID.randomUUID().toString().substring(0, 8);
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> prompts = List.of("How do I boil an egg?", "Say hi");
    final List<String> responses = List.of("Put it in boiling water for eight minutes.", "Hello there!");

    FileSystemCheckpointStore store;
    TinyModelStore models;
    KafkaProducer<String, byte[]> producer;
    Serializer<WarmModelPublished> events;
    EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        Path tmp = Files.createTempDirectory("scorer-signing");
        store = new FileSystemCheckpointStore(tmp.resolve("store"));
        models = new TinyModelStore(store, tmp.resolve("work"));
        producer = new KafkaProducer<>(settings.producerConfig("scorer-signing", Map.of()));
        events = settings.serdes().valueSerializer(WarmModelPublished.class);
        Path keyFile = Files.writeString(tmp.resolve("model-signing-key"),
                Base64.getEncoder().encodeToString(key(21)) + "\n");
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put(ModelSigningKeys.SETTING, keyFile.toString());
        p.put("warm.scorer.load-retry-backoff", "100ms");
        p.put("warm.scorer.ens.enabled", true);
        server = ScorerApplication.start(p);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    @Test
    void forgedAndForeignVersionsAreRefusedWhileTheSignedOneServes() throws Exception {
        TinyModelStore.Stored v1 = signed(1, KEYS);
        publish(1, v1);
        awaitCurrent(c -> c.path("version").asLong() == 1, "v1 serves");

        TinyModelStore.Stored v2 = signed(2, KEYS);
        Path forgedDir = Path.of(v2.uri());
        forgeTokenizer(forgedDir);
        publish(2, v2);
        JsonNode c2 = awaitCurrent(c -> c.path("lastLoadError").path("version").asLong() == 2, "v2 refused");
        assertEquals(1, c2.get("version").asLong(), c2.toString());
        assertEquals("verify", c2.at("/lastLoadError/stage").asText());
        assertTrue(c2.at("/lastLoadError/message").asText().contains(
                forgedDir.resolve(ModelDirectory.MANIFEST_FILE) + ": signature check failed"), c2.toString());

        publish(3, signed(3, OTHER));
        JsonNode c3 = awaitCurrent(c -> c.path("lastLoadError").path("version").asLong() == 3, "v3 refused");
        assertEquals(1, c3.get("version").asLong(), c3.toString());
        assertTrue(c3.at("/lastLoadError/message").asText().contains("signed with key " + OTHER.signing().id()),
                c3.toString());

        JsonNode rewards = JSON.readTree(post("/v1/rewards", items()).body());
        assertEquals(1, rewards.get("version").asLong(), rewards.toString());
        float[] expected = TinyModelStore.score(v1.localDir(), prompts, responses);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], (float) rewards.get("rewards").get(i).asDouble(), 1e-4f);
        }

        HttpResponse<String> export = get("/v1/models/2/export");
        assertEquals(409, export.statusCode(), export.body());
        JsonNode error = JSON.readTree(export.body());
        assertEquals("version_invalid", error.get("error").asText());
        assertTrue(error.get("message").asText().contains(ModelDirectory.MANIFEST_FILE + ": signature check failed"),
                export.body());
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/models/1/export")).GET()
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode());

        // ENS members are fetched through the same checks: a forged member fails the ensemble, the version serves.
        TinyModelStore.Stored memberA = models.put("checkpoints/" + average + "/a", 11);
        new ModelSigner(KEYS).sign(Path.of(memberA.uri()));
        TinyModelStore.Stored memberB = models.put("checkpoints/" + average + "/b", 12);
        new ModelSigner(KEYS).sign(Path.of(memberB.uri()));
        forgeTokenizer(Path.of(memberB.uri()));
        TinyModelStore.Stored v4 = signed(4, KEYS);
        WarmModelPublished e4 = TinyModelStore.event(average, 4, v4.uri(), v4.sha256(), List.of(memberA, memberB));
        producer.send(new ProducerRecord<>(Topics.MODELS, average, events.serialize(Topics.MODELS, e4))).get(30, TimeUnit.SECONDS);
        JsonNode c4 = awaitCurrent(c -> c.path("version").asLong() == 4
                && c.path("ensemble").path("state").asText().equals("failed"), "v4 serves, its ENS fails");
        assertTrue(c4.at("/ensemble/error").asText().contains(Path.of(memberB.uri())
                .resolve(ModelDirectory.MANIFEST_FILE) + ": signature check failed"), c4.toString());

        JsonNode health = JSON.readTree(get("/health").body());
        assertEquals(KEYS.describe(), health.at("/details/model/details/modelDirectories").asText(), health.toString());
    }

    private TinyModelStore.Stored signed(long version, ModelSigningKeys keys) {
        TinyModelStore.Stored s = models.put("averages/" + average + "/v" + version, version);
        new ModelSigner(keys).sign(Path.of(s.uri()));
        return s;
    }

    /** Issue 15's forgery: another tokenizer whose hash is rewritten in warmstream.json; every hash check passes. */
    static void forgeTokenizer(Path dir) throws Exception {
        Path tokenizer = dir.resolve(ModelDirectory.TOKENIZER_FILE);
        String old = Sha256.ofFile(tokenizer);
        Files.writeString(tokenizer, Files.readString(tokenizer).replaceFirst("\\{", "{\"warm-forgery\":true,"));
        Path manifest = dir.resolve(ModelDirectory.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace(old, Sha256.ofFile(tokenizer)));
        ModelDirectory.verify(dir);
    }

    private void publish(long version, TinyModelStore.Stored s) throws Exception {
        WarmModelPublished e = TinyModelStore.event(average, version, s.uri(), s.sha256(), List.of());
        producer.send(new ProducerRecord<>(Topics.MODELS, average, events.serialize(Topics.MODELS, e))).get(30, TimeUnit.SECONDS);
    }

    private String items() {
        var body = JSON.createObjectNode();
        var items = body.putArray("items");
        for (int i = 0; i < prompts.size(); i++) {
            items.addObject().put("prompt", prompts.get(i)).put("response", responses.get(i));
        }
        return body.toString();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode awaitCurrent(Predicate<JsonNode> condition, String what) throws Exception {
        return Await.until(what + " on /v1/models/current", WAIT, Duration.ofMillis(50),
                () -> JSON.readTree(get("/v1/models/current").body()), condition);
    }

    private static byte[] key(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        return b;
    }
}
