package io.warmstream.merger;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.AdminAction;
import io.warmstream.schemas.Topics;
import io.warmstream.security.Credentials;
import io.warmstream.security.Roles;
import io.warmstream.testkit.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merger with security on: every endpoint against every role, admin POSTs refused without a JSON body, and
 * each admin action recorded on warm.audit with who, what, when, before and after.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MergerSecurityTest {

    private MergerFixture fx;
    private Credentials credentials;
    private EmbeddedServer server;
    private final String avg = "sec-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        fx = new MergerFixture(kafka, registry);
        credentials = Credentials.loadOrCreate(Files.createTempDirectory("merger-keys"), "t");
        server = fx.startMerger(avg, Map.of("micronaut.security.enabled", true,
                "warm.security.keys-file", credentials.keysFile().toString()));
        for (int i = 1; i <= 2; i++) {
            String uri = fx.putModel(avg, "job-" + i, dir -> TinyModels.member(dir, 1));
            fx.sendCheckpoint(avg, "job-" + i, uri, 0.9);
        }
        fx.awaitVersions(avg, 2);
    }

    @AfterAll
    void stop() {
        if (fx != null) fx.close();
    }

    /** Admin rows run last (the table is in order), so the rollback finds version 1 kept and not current. */
    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @Order(1)
    @CsvSource({
            "GET, /v1/merger/state, none, 401",
            "GET, /v1/merger/state, bad, 401",
            "GET, /v1/merger/state, labeller, 403",
            "GET, /v1/merger/state, reader, 200",
            "GET, /v1/merger/state, exporter, 403",
            "GET, /v1/merger/state, admin, 403",
            "GET, /v1/merger/versions, none, 401",
            "GET, /v1/merger/versions, labeller, 403",
            "GET, /v1/merger/versions, reader, 200",
            "GET, /v1/merger/versions, exporter, 403",
            "GET, /v1/merger/versions, admin, 403",
            "GET, /prometheus, none, 401",
            "GET, /prometheus, labeller, 403",
            "GET, /prometheus, reader, 200",
            "GET, /prometheus, exporter, 403",
            "GET, /prometheus, admin, 403",
            "GET, /health, none, 200",
            "POST, /v1/merger/pause, none, 401",
            "POST, /v1/merger/pause, bad, 401",
            "POST, /v1/merger/pause, labeller, 403",
            "POST, /v1/merger/pause, reader, 403",
            "POST, /v1/merger/pause, exporter, 403",
            "POST, /v1/merger/resume, none, 401",
            "POST, /v1/merger/resume, labeller, 403",
            "POST, /v1/merger/resume, reader, 403",
            "POST, /v1/merger/resume, exporter, 403",
            "POST, /v1/merger/rollback/1, none, 401",
            "POST, /v1/merger/rollback/1, labeller, 403",
            "POST, /v1/merger/rollback/1, reader, 403",
            "POST, /v1/merger/rollback/1, exporter, 403",
            "POST, /v1/merger/pause, admin, 200",
            "POST, /v1/merger/resume, admin, 200",
            "POST, /v1/merger/rollback/1, admin, 200",
    })
    void everyEndpointAnswersEachRoleAsDeclared(String method, String path, String caller, int expected) throws Exception {
        HttpResponse<String> r = call(method, path, caller, "application/json", "{\"reason\":\"table test\"}");
        assertEquals(expected, r.statusCode(), method + " " + path + " as " + caller + ": " + r.body());
    }

    @Test
    @Order(2)
    void adminPostsTakeJsonOnlySoNoFormCanFireThem() throws Exception {
        // No route takes a form or text (what a cross-site page can send without a preflight): the request matches
        // no route, and security refuses what no route declares, even with the admin's credentials.
        assertEquals(403, call("POST", "/v1/merger/pause", Roles.ADMIN, "application/x-www-form-urlencoded", "reason=x").statusCode());
        assertEquals(403, call("POST", "/v1/merger/pause", Roles.ADMIN, "text/plain", "{}").statusCode());
        assertEquals(400, call("POST", "/v1/merger/pause", Roles.ADMIN, "application/json", "").statusCode());
        assertEquals("false", MergerFixture.JSON.readTree(call("GET", "/v1/merger/state", Roles.READER, null, null).body())
                .path("paused").asText(), "none of them paused the merger");
    }

    @Test
    @Order(3)
    void eachAdminActionIsAuditedWithWhoWhatWhenBeforeAndAfter() throws Exception {
        long started = System.currentTimeMillis();
        assertEquals(404, call("POST", "/v1/merger/rollback/99", Roles.ADMIN, "application/json", "{}").statusCode());
        List<AdminAction> audit = fx.read(Topics.AUDIT, AdminAction.class, "merger/" + avg, l -> l.size() >= 4,
                Duration.ofSeconds(60));
        assertEquals(List.of("PAUSE", "RESUME", "ROLLBACK", "ROLLBACK"), audit.stream().map(AdminAction::getAction).toList());
        AdminAction pause = audit.get(0);
        assertEquals("t-admin", pause.getPrincipal());
        assertEquals("merger", pause.getService());
        assertEquals(avg, pause.getScope());
        assertEquals("table test", pause.getReason());
        assertEquals("ok", pause.getOutcome());
        assertEquals(200, pause.getHttpStatus());
        assertEquals("false", pause.getBefore().get("paused"));
        assertEquals("true", pause.getAfter().get("paused"));
        assertEquals("true", audit.get(1).getBefore().get("paused"));
        assertEquals("false", audit.get(1).getAfter().get("paused"));
        AdminAction rollback = audit.get(2);
        assertEquals(Map.of("version", "1"), rollback.getArguments());
        assertEquals("2", rollback.getBefore().get("version"));
        assertEquals("3", rollback.getAfter().get("version"));
        assertEquals("1", rollback.getAfter().get("rollbackOf"));
        AdminAction refused = audit.get(3);
        assertEquals("unknown_version", refused.getOutcome());
        assertEquals(404, refused.getHttpStatus());
        assertEquals(refused.getBefore(), refused.getAfter());
        assertTrue(refused.getTime().toEpochMilli() >= started - 1000, refused.getTime().toString());
        assertEquals("127.0.0.1", refused.getRemoteAddress());
    }

    private HttpResponse<String> call(String method, String path, String caller, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(150));
        switch (caller) {
            case "none" -> { }
            case "bad" -> b.header("Authorization", "Bearer " + Credentials.newKey());
            default -> b.header("Authorization", "Bearer " + credentials.key(caller));
        }
        if (method.equals("POST")) {
            b.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        return fx.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
