package io.warmstream.trainer;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.schemas.Holdout;
import io.warmstream.security.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's HTTP port (health and metrics) with security on, against every role; and a trainer without a
 * hold-out salt refuses to start rather than plan jobs with a guessable split.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainerSecurityTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private TrainerTestKit kit;
    private Credentials credentials;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka broker, EmbeddedRegistry registry) throws Exception {
        kit = new TrainerTestKit("security", broker, registry);
        credentials = Credentials.loadOrCreate(Files.createTempDirectory("trainer-keys"), "t");
        Map<String, Object> p = new HashMap<>(kit.properties(Map.of()));
        p.put("micronaut.security.enabled", true);
        p.put("warm.security.keys-file", credentials.keysFile().toString());
        p.put("warm.trainer.worker.enabled", false);
        server = TrainerTestKit.start(p);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
        if (kit != null) kit.close();
    }

    @ParameterizedTest(name = "GET {0} as {1} -> {2}")
    @CsvSource({
            "/prometheus, none, 401", "/prometheus, bad, 401", "/prometheus, labeller, 403", "/prometheus, reader, 200",
            "/prometheus, exporter, 403", "/prometheus, admin, 403",
            "/health, none, 200", "/health, reader, 200", "/health/liveness, none, 200", "/health/readiness, none, 200",
    })
    void everyEndpointAnswersEachRoleAsDeclared(String path, String caller, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(30)).GET();
        switch (caller) {
            case "none" -> { }
            case "bad" -> b.header("Authorization", "Bearer " + Credentials.newKey());
            default -> b.header("Authorization", "Bearer " + credentials.key(caller));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), path + " as " + caller + ": " + r.body());
    }

    @Test
    void noHoldoutSaltNoPlanner() {
        Map<String, Object> p = new HashMap<>(kit.properties(Map.of()));
        p.remove(Holdout.SHARED_SALT);
        p.put("warm.trainer.worker.enabled", false);
        p.put("warm.trainer.planner.application-id", "planner-nosalt-" + kit.run);
        RuntimeException e = assertThrows(RuntimeException.class, () -> TrainerTestKit.start(p).getApplicationContext().close());
        Throwable root = e;
        while (root.getCause() != null) root = root.getCause();
        assertTrue(root.getMessage().contains("hold-out salt is not set") && root.getMessage().contains("WARM_HOLDOUT_SALT"),
                root.getMessage());
    }
}
