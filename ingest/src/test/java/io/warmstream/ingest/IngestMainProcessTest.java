package io.warmstream.ingest;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.security.Credentials;
import io.warmstream.security.Roles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The service as an operator starts it: {@code main} in its own JVM, configured only by environment variables. */
@ExtendWith(EmbeddedInfraExtension.class)
class IngestMainProcessTest {

    @Test
    void mainReadsItsApplicationYmlAndEnvironmentOverrides(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("ingest-main", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), IngestApplication.class.getName()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("WARM_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        pb.environment().put("WARM_REGISTRY_URL", registry.ccompatUrl());
        pb.environment().put("WARM_INGEST_PORT", Integer.toString(port));
        pb.environment().put("WARM_INGEST_LIMITS_PROMPT_CHARS", "5");
        pb.environment().put("WARM_INGEST_TOPOLOGY_ENABLED", "false");
        // Security is on by default; the keys file comes from the environment, as in compose.
        Credentials keys = Credentials.loadOrCreate(Files.createTempDirectory("ingest-main-keys"), "main");
        pb.environment().put("WARM_SECURITY_KEYS_FILE", keys.keysFile().toString());
        Process process = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            HttpResponse<String> up = null;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    up = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                    if (up.statusCode() == 200) break;
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
            assertTrue(up != null && up.statusCode() == 200, () -> "service did not come up:\n" + read(log));
            assertTrue(up.body().contains("\"kafka\""), up.body());

            URI preferences = URI.create("http://127.0.0.1:" + port + "/v1/preferences");
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(preferences).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), "security is on by default: " + anonymous.body());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(preferences)
                    .header("Authorization", "Bearer " + keys.key(Roles.LABELLER))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"prompt\":\"short\",\"chosen\":\"a\",\"rejected\":\"b\"},"
                            + "{\"prompt\":\"too long\",\"chosen\":\"a\",\"rejected\":\"b\"}]")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"field\":\"prompt\",\"reason\":\"too_long\""), r.body());
        } finally {
            process.destroy(); // SIGTERM: Micronaut's shutdown hook closes the Kafka clients
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        assertEquals(143, process.exitValue(), () -> read(log));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
