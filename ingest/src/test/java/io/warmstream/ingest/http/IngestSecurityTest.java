package io.warmstream.ingest.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.ingest.KafkaTopics;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.Topics;
import io.warmstream.security.ApiKeyFile;
import io.warmstream.security.Credentials;
import io.warmstream.security.Roles;
import io.warmstream.testkit.Await;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest with security on, as deployed: every endpoint against every role (API keys from a keys file), the
 * labeller taken from the caller, Basic with a key, keys rotated without a restart, and bearer JWTs.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestSecurityTest {

    private static final String JWT_SECRET = "a-test-secret-of-at-least-256-bits-for-hs256!";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private Credentials credentials;
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        this.kafka = kafka;
        this.registry = registry;
        credentials = Credentials.loadOrCreate(Files.createTempDirectory("ingest-keys"), "t");
        server = IngestApplication.start(Map.of(
                "warm.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "warm.registry.url", registry.ccompatUrl(),
                "warm.security.keys-file", credentials.keysFile().toString(),
                "warm.security.reload-interval", "50ms",
                "micronaut.security.token.jwt.signatures.secret.generator.secret", JWT_SECRET,
                "micronaut.security.token.jwt.signatures.secret.generator.jws-algorithm", "HS256",
                "warm.ingest.topology.application-id", "ingest-sec-" + run,
                "warm.ingest.topology.state-dir", Files.createTempDirectory("ingest-sec-state").toString()));
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
    }

    /** caller: none (no credentials), bad (a key not in the file) or a role, whose key holds that role only. */
    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "POST, /v1/preferences, none, 401",
            "POST, /v1/preferences, bad, 401",
            "POST, /v1/preferences, labeller, 202",
            "POST, /v1/preferences, reader, 403",
            "POST, /v1/preferences, exporter, 403",
            "POST, /v1/preferences, admin, 403",
            "GET, /prometheus, none, 401",
            "GET, /prometheus, bad, 401",
            "GET, /prometheus, labeller, 403",
            "GET, /prometheus, reader, 200",
            "GET, /prometheus, exporter, 403",
            "GET, /prometheus, admin, 403",
            "GET, /health, none, 200",
            "GET, /health, bad, 200",
            "GET, /health, labeller, 200",
            "GET, /health, reader, 200",
            "GET, /health/liveness, none, 200",
            "GET, /health/readiness, none, 200",
            "GET, /no-such-route, reader, 403",
            "POST, /health/../v1/preferences, none, 401",
            "GET, /health/../prometheus, none, 401",
    })
    void everyEndpointAnswersEachRoleAsDeclared(String method, String path, String caller, int expected) throws Exception {
        HttpResponse<String> r = call(method, path, bearer(caller), label("sec-" + UUID.randomUUID(), null));
        assertEquals(expected, r.statusCode(), method + " " + path + " as " + caller + ": " + r.body());
    }

    @Test
    void theLabellerIsTheCallerAndAClaimedOtherNameIsKeptApart() throws Exception {
        String claimed = "lbl-" + UUID.randomUUID(), unclaimed = "lbl-" + UUID.randomUUID();
        assertEquals(202, call("POST", "/v1/preferences", bearer(Roles.LABELLER), label(claimed, "mallory")).statusCode());
        assertEquals(202, call("POST", "/v1/preferences", bearer(Roles.LABELLER), label(unclaimed, null)).statusCode());
        Map<String, PreferenceLabel> byId = validated(List.of(claimed, unclaimed));
        assertEquals("t-labeller", byId.get(claimed).getLabeller());
        assertEquals("mallory", byId.get(claimed).getMetadata().get(CallerLabeller.CLAIMED));
        assertEquals("t-labeller", byId.get(unclaimed).getLabeller());
        assertNull(byId.get(unclaimed).getMetadata(), "no claim, nothing recorded");
    }

    @Test
    void basicAuthTakesTheKeyAsPasswordAndChallengesBrowsers() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("anyone:" + credentials.key(Roles.READER))
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(200, call("GET", "/prometheus", basic, null).statusCode());
        String wrong = "Basic " + Base64.getEncoder().encodeToString("anyone:nope".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> refused = call("GET", "/prometheus", wrong, null);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), refused.headers().toString());
    }

    @Test
    void keysRotateWithoutARestart() throws Exception {
        Path keys = credentials.keysFile();
        String original = Files.readString(keys);
        String rotated = Credentials.newKey();
        try {
            Files.writeString(keys, ApiKeyFile.line("rotated", rotated, List.of(Roles.READER)) + "\n");
            awaitStatus("GET", "/prometheus", "Bearer " + rotated, 200);
            assertEquals(401, call("GET", "/prometheus", bearer(Roles.READER), null).statusCode(), "the old key is revoked");
            Files.writeString(keys, "rotated not-a-hash reader\n");
            Thread.sleep(300);
            assertEquals(200, call("GET", "/prometheus", "Bearer " + rotated, null).statusCode(),
                    "a file that does not parse leaves the keys read before in force");
        } finally {
            Files.writeString(keys, original);
            awaitStatus("GET", "/prometheus", bearer(Roles.READER), 200);
        }
    }

    @Test
    void bearerJwtsSignedWithTheConfiguredKeyCarryNameAndRoles() throws Exception {
        assertEquals(202, call("POST", "/v1/preferences", "Bearer " + jwt(JWT_SECRET, "jwt-labeller", Roles.LABELLER),
                label("jwt-" + UUID.randomUUID(), null)).statusCode());
        assertEquals(403, call("POST", "/v1/preferences", "Bearer " + jwt(JWT_SECRET, "jwt-reader", Roles.READER),
                label("jwt-" + UUID.randomUUID(), null)).statusCode());
        assertEquals(401, call("POST", "/v1/preferences", "Bearer " + jwt("another-secret-also-at-least-256-bits-long!!",
                "forger", Roles.LABELLER), label("jwt-" + UUID.randomUUID(), null)).statusCode());
        String unsigned = base64("{\"alg\":\"none\"}") + "." + base64("{\"sub\":\"x\",\"roles\":[\"labeller\"]}") + ".";
        assertEquals(401, call("POST", "/v1/preferences", "Bearer " + unsigned, label("jwt-" + UUID.randomUUID(), null)).statusCode());
    }

    // ------------------------------------------------------------------ helpers

    private String bearer(String caller) {
        return switch (caller) {
            case "none" -> null;
            case "bad" -> "Bearer " + Credentials.newKey();
            default -> "Bearer " + credentials.key(caller);
        };
    }

    private HttpResponse<String> call(String method, String path, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) b.header("Authorization", authorization);
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String method, String path, String authorization, int status) throws Exception {
        Await.until(method + " " + path + " answering " + status, Duration.ofSeconds(10), Duration.ofMillis(50),
                () -> call(method, path, authorization, null).statusCode(), last -> last == status);
    }

    private static String label(String id, String labeller) {
        return "{\"id\":\"" + id + "\",\"prompt\":\"p\",\"chosen\":\"good\",\"rejected\":\"bad\""
                + (labeller == null ? "" : ",\"labeller\":\"" + labeller + "\"") + "}";
    }

    private Map<String, PreferenceLabel> validated(List<String> ids) {
        List<ConsumerRecord<byte[], PreferenceLabel>> records = KafkaTopics.readUntil(kafka.bootstrapServers(),
                Topics.PREFERENCES, EventSerdes.forRegistry(registry.ccompatUrl()).valueDeserializer(PreferenceLabel.class),
                seen -> seen.stream().filter(r -> ids.contains(r.value().getId())).count() == ids.size(),
                Duration.ofSeconds(60));
        Map<String, PreferenceLabel> byId = new java.util.HashMap<>();
        records.stream().map(ConsumerRecord::value).filter(l -> ids.contains(l.getId())).forEach(l -> byId.put(l.getId(), l));
        return byId;
    }

    private static String jwt(String secret, String subject, String role) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
                .claim("roles", List.of(role)).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
