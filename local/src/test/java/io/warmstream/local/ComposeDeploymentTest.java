package io.warmstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.security.Roles;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production deployment, {@code compose/docker-compose.yml}, on a real Docker engine: builds the warmstream
 * image from {@code compose/Dockerfile}, starts Kafka (KRaft), the Apicurio registry, ingest and the scorer, waits
 * until both services answer {@code /health}, and sends one label through ingest's HTTP API.
 *
 * <p>Skipped where no Docker engine is reachable ({@code disabledWithoutDocker}), as on the project's build
 * machines. The behaviour it checks through the images is covered without Docker by ingest's
 * {@code IngestServiceTest} (HTTP -> embedded KRaft broker with the Apicurio registry process ->
 * {@code warm.preferences}), {@code IngestMainProcessTest} ({@code main} in its own JVM configured only by
 * environment variables, as the image runs it) and the scorer's {@code ScorerServiceTest}. What only this test
 * checks is the packaging: the image, the entrypoint's classpaths, the compose wiring and health checks.
 *
 * <p>Only the services it needs are started: the GPU trainers would not start on a machine without an NVIDIA
 * runtime. The first run builds the image (a full Maven build inside Docker), hence the long timeouts.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeDeploymentTest {

    private static final int INGEST_PORT = 8080;
    private static final int SCORER_PORT = 8082;
    private static final Duration STARTUP = Duration.ofMinutes(20);

    /** The deployment's secrets, as an operator makes them (compose/README.md), passed as files. */
    private static final LocalSecrets SECRETS = secrets();

    /** Kafka's SCRAM passwords, one file per user, as compose/README.md makes them. */
    private static final Map<String, String> KAFKA_PASSWORD_FILES = kafkaPasswordFiles();

    @Container
    static final ComposeContainer STACK = new ComposeContainer(composeFile())
            .withEnv("WARM_KEYS_FILE", SECRETS.credentials().keysFile().toString())
            .withEnv("WARM_HOLDOUT_SALT_FILE", SECRETS.saltFile().toString())
            .withEnv("WARM_MODEL_SIGNING_KEY_FILE", SECRETS.modelSigningKeyFile().toString())
            .withEnv(KAFKA_PASSWORD_FILES)
            // Local "docker compose": the build context is the repository root, which a containerised compose
            // would not see.
            .withLocalCompose(true)
            .withBuild(true)
            .withPull(false)
            // kafka-init creates the services' SCRAM users and ACLs; every service logs in as its own user.
            .withServices("kafka", "kafka-init", "registry", "ingest", "scorer")
            .withExposedService("ingest", INGEST_PORT,
                    Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(STARTUP))
            .withExposedService("scorer", SCORER_PORT,
                    Wait.forHttp("/health").forStatusCode(200).withStartupTimeout(STARTUP))
            .withStartupTimeout(STARTUP);

    private static LocalSecrets secrets() {
        try {
            return LocalSecrets.loadOrCreate(java.nio.file.Files.createTempDirectory("compose-secrets"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Map<String, String> kafkaPasswordFiles() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        try {
            Path dir = SECRETS.saltFile().getParent();
            for (String user : List.of("admin", "ingest", "trainer", "merger", "scorer")) {
                Path file = dir.resolve("kafka-" + user + "-password");
                byte[] password = new byte[24];
                new java.security.SecureRandom().nextBytes(password);
                Files.writeString(file, java.util.HexFormat.of().formatHex(password) + "\n");
                env.put("KAFKA_" + user.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD_FILE", file.toString());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return env;
    }

    private static File composeFile() {
        // Surefire runs in local/; the compose directory is its sibling.
        File file = new File("../compose/docker-compose.yml").getAbsoluteFile();
        if (!file.isFile()) {
            throw new IllegalStateException("compose file not found: " + file);
        }
        return file;
    }

    @Test
    void aLabelPostedToIngestIsAccepted() throws Exception {
        URI ingest = URI.create("http://" + STACK.getServiceHost("ingest", INGEST_PORT) + ":"
                + STACK.getServicePort("ingest", INGEST_PORT) + "/v1/preferences");
        String body = "{\"id\":\"compose-label-1\",\"prompt\":\"Summarise: the bridge reopens on Monday.\","
                + "\"chosen\":\"The bridge reopens Monday.\",\"rejected\":\"The bridge is closed forever.\","
                + "\"labeller\":\"compose-test\"}";

        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ingest)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + SECRETS.key(Roles.LABELLER))
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(202, response.statusCode(), response.body());
        JsonNode reply = new ObjectMapper().readTree(response.body());
        assertEquals(1, reply.path("accepted").size(), response.body());
        assertEquals("compose-label-1", reply.path("accepted").get(0).asText());
        assertTrue(reply.path("rejected").isEmpty(), response.body());
    }
}
