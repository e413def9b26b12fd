package io.warmstream.scorer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.security.Credentials;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scorer with security on, serving a real (tiny) model: every endpoint against every role. Authorised callers
 * get the endpoint's real answer (200, or 303 for {@code /}, which sends browsers to the dashboard).
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorerSecurityTest {

    private static final String SCORE = "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\"}]}";
    private static final String COMPARE = "{\"prompt\":\"p\",\"a\":\"yes\",\"b\":\"no\"}";
    private static final String OPENRLHF = "{\"query\":[\"pr\"],\"prompts\":[\"p\"]}";
    private static final String VLLM = "{\"text_1\":\"p\",\"text_2\":\"r\"}";

    private final HttpClient http = HttpClient.newHttpClient();
    private final String average = "sec-" + UUID.randomUUID().toString().substring(0, 8);
    private Credentials credentials;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        Path tmp = Files.createTempDirectory("scorer-sec");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore.Stored v1 = new TinyModelStore(store, tmp.resolve("work")).put("averages/" + average + "/v1", 1);
        credentials = Credentials.loadOrCreate(tmp.resolve("keys"), "t");
        Map<String, Object> p = new HashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.store.location", store.root().toString());
        p.put("warm.scorer.average", average);
        p.put(Holdout.SHARED_SALT, "scorer-security-test");
        p.put("warm.security.keys-file", credentials.keysFile().toString());
        p.put("warm.scorer.stream.application-id", "scorer-sec-" + average);
        p.put("warm.scorer.stream.state-dir", tmp.resolve("state").toString());
        p.put("warm.scorer.drift.application-id", "scorer-sec-drift-" + average);
        p.put("warm.scorer.drift.labels.group-id", "scorer-sec-labels-" + average);
        p.put("warm.scorer.export.cache-dir", tmp.resolve("exports").toString());
        server = ScorerApplication.start(p);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producerConfig("scorer-sec", Map.of()))) {
            WarmModelPublished event = TinyModelStore.event(average, 1, v1.uri(), v1.sha256(), List.of());
            producer.send(new ProducerRecord<>(Topics.MODELS, average,
                    settings.serdes().valueSerializer(WarmModelPublished.class).serialize(Topics.MODELS, event))).get(30, TimeUnit.SECONDS);
        }
        Await.until("version 1 served to a reader", Duration.ofSeconds(60), Duration.ofMillis(100),
                () -> call("GET", "/v1/models/current", "reader", null).statusCode() == 200);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
    }

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "POST, /v1/rewards, none, 401", "POST, /v1/rewards, bad, 401", "POST, /v1/rewards, labeller, 403",
            "POST, /v1/rewards, reader, 200", "POST, /v1/rewards, exporter, 403", "POST, /v1/rewards, admin, 403",
            "POST, /v1/compare, none, 401", "POST, /v1/compare, bad, 401", "POST, /v1/compare, labeller, 403",
            "POST, /v1/compare, reader, 200", "POST, /v1/compare, exporter, 403", "POST, /v1/compare, admin, 403",
            "POST, /get_reward, none, 401", "POST, /get_reward, labeller, 403", "POST, /get_reward, reader, 200",
            "POST, /get_reward, exporter, 403", "POST, /get_reward, admin, 403",
            "POST, /score, none, 401", "POST, /score, labeller, 403", "POST, /score, reader, 200",
            "POST, /score, exporter, 403", "POST, /score, admin, 403", "POST, /v1/score, reader, 200",
            "GET, /v1/models/current, none, 401", "GET, /v1/models/current, labeller, 403",
            "GET, /v1/models/current, reader, 200", "GET, /v1/models/current, exporter, 403", "GET, /v1/models/current, admin, 403",
            "GET, /v1/models, none, 401", "GET, /v1/models, labeller, 403", "GET, /v1/models, reader, 200",
            "GET, /v1/models, exporter, 403", "GET, /v1/models, admin, 403",
            "GET, /v1/models/1/export, none, 401", "GET, /v1/models/1/export, bad, 401", "GET, /v1/models/1/export, labeller, 403",
            "GET, /v1/models/1/export, reader, 403", "GET, /v1/models/1/export, exporter, 200", "GET, /v1/models/1/export, admin, 403",
            "GET, /v1/models/events, none, 401", "GET, /v1/models/events, bad, 401", "GET, /v1/models/events, labeller, 403",
            "GET, /v1/models/events, reader, 200", "GET, /v1/models/events, exporter, 403", "GET, /v1/models/events, admin, 403",
            "GET, /v1/drift, none, 401", "GET, /v1/drift, labeller, 403", "GET, /v1/drift, reader, 200",
            "GET, /v1/drift, exporter, 403", "GET, /v1/drift, admin, 403",
            "GET, /dashboard, none, 401", "GET, /dashboard, labeller, 403", "GET, /dashboard, reader, 200",
            "GET, /dashboard, exporter, 403", "GET, /dashboard, admin, 403",
            "GET, /, none, 401", "GET, /, labeller, 403", "GET, /, reader, 303", "GET, /, exporter, 403", "GET, /, admin, 403",
            "GET, /v1/openapi.yml, none, 401", "GET, /v1/openapi.yml, labeller, 403", "GET, /v1/openapi.yml, reader, 200",
            "GET, /v1/openapi.yml, exporter, 403", "GET, /v1/openapi.yml, admin, 403",
            "GET, /swagger/warmstream-scorer.yml, none, 401", "GET, /swagger/warmstream-scorer.yml, labeller, 403",
            "GET, /swagger/warmstream-scorer.yml, reader, 200", "GET, /swagger/warmstream-scorer.yml, exporter, 403",
            "GET, /swagger/warmstream-scorer.yml, admin, 403",
            "GET, /prometheus, none, 401", "GET, /prometheus, bad, 401", "GET, /prometheus, labeller, 403",
            "GET, /prometheus, reader, 200", "GET, /prometheus, exporter, 403", "GET, /prometheus, admin, 403",
            "GET, /health, none, 200", "GET, /health/liveness, none, 200", "GET, /health/readiness, none, 200",
    })
    void everyEndpointAnswersEachRoleAsDeclared(String method, String path, String caller, int expected) throws Exception {
        String body = path.endsWith("compare") ? COMPARE : path.endsWith("get_reward") ? OPENRLHF
                : path.endsWith("score") ? VLLM : SCORE;
        if (path.endsWith("/events")) { // an event stream never ends: read the status, then hang up
            HttpResponse<java.io.InputStream> stream = http.send(request(method, path, caller, body),
                    HttpResponse.BodyHandlers.ofInputStream());
            stream.body().close();
            assertEquals(expected, stream.statusCode(), method + " " + path + " as " + caller);
            return;
        }
        HttpResponse<String> r = call(method, path, caller, body);
        assertEquals(expected, r.statusCode(), method + " " + path + " as " + caller + ": "
                + r.body().substring(0, Math.min(300, r.body().length())));
    }

    private HttpResponse<String> call(String method, String path, String caller, String body) throws Exception {
        return http.send(request(method, path, caller, body), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String method, String path, String caller, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(60));
        switch (caller) {
            case "none" -> { }
            case "bad" -> b.header("Authorization", "Bearer " + Credentials.newKey());
            default -> b.header("Authorization", "Bearer " + credentials.key(caller));
        }
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        return b.build();
    }
}
