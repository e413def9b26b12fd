package io.warmstream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest's request limits on a real server and broker: the reports of issue 14 (a 9 MB body of 4.5 million numbers,
 * a far-future createdAt) answered at once with small JSON bodies, while {@code /health} keeps answering.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LISTED = 5;

    private final String run = "lim" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedServer server;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        server = IngestApplication.start(Map.of(
                "warm.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "warm.registry.url", registry.ccompatUrl(),
                "warm.ingest.limits.listed-rejections", LISTED,
                "micronaut.security.enabled", false, // not about authentication (IngestSecurityTest is)
                "warm.ingest.topology.application-id", "ingest-limits-" + run,
                "warm.ingest.topology.state-dir", Files.createTempDirectory("ingest-limits").toString()));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/preferences")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private String label(String id, String createdAt) {
        return "{\"id\":\"" + run + id + "\",\"prompt\":\"Which is kinder?\",\"chosen\":\"Thanks!\",\"rejected\":\"Whatever.\","
                + "\"createdAt\":" + createdAt + "}";
    }

    private static JsonNode error(HttpResponse<String> r, int status, String error, String field) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode e = JSON.readTree(r.body());
        assertEquals(error, e.path("error").asText(), r.body());
        assertEquals(field, e.path("field").asText(), r.body());
        assertFalse(e.path("message").asText().isBlank(), r.body());
        return e;
    }

    @Test
    void aNineMegabyteArrayOfNumbersIs413AtOnceWithASmallBodyWhileHealthAnswers() throws Exception {
        StringBuilder numbers = new StringBuilder(9_500_000).append('[');
        for (int i = 0; numbers.length() < 9_000_000; i++) numbers.append(i == 0 ? "" : ",").append(i % 10);
        byte[] body = numbers.append(']').toString().getBytes(StandardCharsets.US_ASCII);

        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) posts.add(CompletableFuture.supplyAsync(() -> {
            try {
                return post("application/json", body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        long slowestProbe = 0;
        int probes = 0;
        while (!posts.stream().allMatch(CompletableFuture::isDone) || probes < 5) {
            long t = System.nanoTime();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()); // throws after 2 s
            assertEquals(200, health.statusCode(), health.body());
            slowestProbe = Math.max(slowestProbe, System.nanoTime() - t);
            probes++;
            Thread.sleep(50);
        }
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> r = p.join();
            JsonNode e = error(r, 413, "too_many_items", "$");
            assertEquals(10_000, e.get("limit").asInt());
            assertTrue(r.body().length() < 1_000, "a refusal is small: " + r.body().length() + " bytes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 20, "four 9 MB bodies refused in " + seconds + " s");
        assertTrue(slowestProbe < 2_000_000_000L, "slowest health probe " + slowestProbe / 1e6 + " ms");
        assertTrue(metrics().contains("warm_ingest_http_refused_total{error=\"too_many_items\"} 4.0"), metrics());
    }

    @Test
    void manyBadItemsAreSummarisedByReasonAndTheReplyStaysSmall() throws Exception {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 6_000; i++) body.append(i == 0 ? "" : ",").append(i % 3 == 0 ? "7" : "{\"prompt\":\"p\"}");
        HttpResponse<String> r = post(body.append(']').toString());
        assertEquals(422, r.statusCode(), r.body());
        JsonNode reply = JSON.readTree(r.body());
        assertEquals(LISTED, reply.get("rejected").size());
        assertEquals(0, reply.get("rejected").get(0).get("index").asInt());
        assertEquals(LISTED - 1, reply.get("rejected").get(LISTED - 1).get("index").asInt());
        assertEquals(6_000, reply.get("rejectedCount").asInt());
        assertEquals(2_000, reply.get("rejectedByReason").get("not_an_object").asInt(), r.body());
        assertEquals(4_000, reply.get("rejectedByReason").get("missing").asInt(), r.body());
        assertTrue(r.body().length() < 2_000, "reply of " + r.body().length() + " bytes for 6,000 refused items");
    }

    @Test
    void aFarFutureCreatedAtIs422NamingCreatedAtAndItsNeighbourIsAccepted() throws Exception {
        HttpResponse<String> r = post("[" + label("ok", "\"2024-05-01T12:00:00Z\"") + ","
                + label("far", "\"+300000000-01-01T00:00:00Z\"") + "]");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode reply = JSON.readTree(r.body());
        assertEquals(run + "ok", reply.get("accepted").get(0).asText());
        JsonNode rejection = reply.get("rejected").get(0);
        assertEquals(1, rejection.get("index").asInt());
        assertEquals("createdAt", rejection.get("field").asText());
        assertEquals("out_of_range", rejection.get("reason").asText());
        assertFalse(reply.has("notWritten"), "bad input is not an outage");

        HttpResponse<String> alone = post(label("far2", "\"+300000000-01-01T00:00:00Z\""));
        assertEquals(422, alone.statusCode(), alone.body());
        assertEquals("createdAt", JSON.readTree(alone.body()).get("rejected").get(0).get("field").asText());
        String anHourAhead = "\"" + java.time.Instant.now().plus(Duration.ofHours(1)) + "\"";
        assertEquals(422, post(label("ahead", anHourAhead)).statusCode());
        String aMinuteAhead = "\"" + java.time.Instant.now().plus(Duration.ofMinutes(1)) + "\"";
        assertEquals(202, post(label("skewed", aMinuteAhead)).statusCode(), "within the 5 min allowed skew");
    }

    @Test
    void unknownFieldsRefuseTheirItemAndDeepNestingTheBody() throws Exception {
        HttpResponse<String> mixed = post("[" + label("uf-good", "1714564800000") + ",{\"prompt\":\"p\",\"chosen\":\"x\","
                + "\"rejected\":\"y\",\"confidance\":0.9}]");
        assertEquals(202, mixed.statusCode(), mixed.body());
        JsonNode reply = JSON.readTree(mixed.body());
        assertTrue(reply.get("accepted").get(0).asText().endsWith("uf-good"), mixed.body());
        assertEquals(1, reply.get("rejected").get(0).get("index").asInt());
        assertEquals("confidance", reply.get("rejected").get(0).get("field").asText());
        assertEquals("unknown_field", reply.get("rejected").get(0).get("reason").asText());
        HttpResponse<String> alone = post("application/x-ndjson", "{\"prompt\":\"p\",\"tags\":[]}\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, alone.statusCode(), alone.body());
        assertEquals("tags", JSON.readTree(alone.body()).get("rejected").get(0).get("field").asText());
        String deep = "{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":" + "[".repeat(40) + "]".repeat(40) + "}";
        assertEquals(16, error(post(deep), 422, "too_deep", "$").get("limit").asInt());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
