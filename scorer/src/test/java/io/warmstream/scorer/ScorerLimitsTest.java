package io.warmstream.scorer;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.bert.BertConfig;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.warmstream.scorer.ScorerServiceTest.itemsBody;
import static io.warmstream.scorer.ScorerServiceTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scorer's overload limits on a real server (issue 14: big requests held the scorer for minutes after their
 * clients had left). A small random model (hidden 256, 4 layers) makes a 512-token item cost tens of milliseconds,
 * so a request of 255 long items is well over the 4 s deadline even on a fast idle machine (hidden 128 was not),
 * while one batch of 2 stays far under it on a loaded one; one model thread keeps the arithmetic simple.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScorerLimitsTest {

    static final int BUDGET = 256 * 512;
    static final Duration DEADLINE = Duration.ofSeconds(4);
    static final String LONG = "word ".repeat(700); // 2,800 non-space characters: truncated to 512 tokens

    final String run = "lim" + UUID.randomUUID().toString().substring(0, 8);
    final String average = "avg-" + run;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    KafkaProducer<String, byte[]> producer;
    KafkaSettings settings;
    EmbeddedServer server;
    Path tmp;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        tmp = Files.createTempDirectory("scorer-limits");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        TinyModelStore models = new TinyModelStore(store, tmp.resolve("work"));
        BertConfig small = BertConfig.tiny(256, 4, 4, 1024);
        TinyModelStore.Stored v1 = models.put("averages/" + average + "/v1", 1, small);
        TinyModelStore.Stored a = models.put("checkpoints/" + average + "/a", 11, small);
        TinyModelStore.Stored b = models.put("checkpoints/" + average + "/b", 12, small);
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put("warm.scorer.batching.token-budget", BUDGET);
        p.put("warm.scorer.batching.max-batch", 2);
        p.put("warm.scorer.batching.threads", 1);
        p.put("warm.scorer.limits.deadline", DEADLINE.toMillis() + "ms");
        p.put("warm.scorer.ens.enabled", true);
        server = ScorerApplication.start(p);
        producer = new KafkaProducer<>(settings.producerConfig("scorer-limits", Map.of()));
        WarmModelPublished event = TinyModelStore.event(average, 1, v1.uri(), v1.sha256(), List.of(a, b));
        producer.send(new ProducerRecord<>(Topics.MODELS, average,
                settings.serdes().valueSerializer(WarmModelPublished.class).serialize(Topics.MODELS, event))).get(30, TimeUnit.SECONDS);
        awaitTrue(() -> json(get("/v1/models/current")).path("ensemble").path("state").asText().equals("ready"), "v1 and its members");
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------ helpers

    HttpResponse<String> post(String path, String body, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String longItems(int n) {
        return itemsBody(Collections.nCopies(n, "Which answer is better?"), Collections.nCopies(n, LONG));
    }

    /** A health probe that must answer within 2 s; returns the padded tokens the batcher holds. */
    int probeHealth() throws Exception {
        long t = System.nanoTime();
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health"))
                .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
        long ms = (System.nanoTime() - t) / 1_000_000;
        assertEquals(200, h.statusCode(), h.body());
        assertTrue(ms < 2_000, "health answered in " + ms + " ms");
        return JSON_TREE(h.body()).at("/details/model/details/pendingTokens").asInt(-1);
    }

    static JsonNode JSON_TREE(String s) throws Exception {
        return ScorerServiceTest.JSON.readTree(s);
    }

    double metric(String line) throws Exception {
        for (String l : get("/prometheus").body().split("\n")) {
            if (l.startsWith(line + " ")) {
                return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    double computedItems() throws Exception {
        return metric("warm_scorer_batch_items_sum{mode=\"warm\"}");
    }

    static void awaitTrue(Await.Check c, String what) throws Exception {
        Await.until(what, Duration.ofSeconds(60), Duration.ofMillis(50), c);
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void requestsOverTheWholeBudgetAre413AndEnsCountsEveryMember() throws Exception {
        HttpResponse<String> ens = post("/v1/rewards?mode=ens", longItems(129), Duration.ofSeconds(30));
        assertEquals(413, ens.statusCode(), ens.body());
        JsonNode e = json(ens);
        assertEquals("request_too_expensive", e.get("error").asText());
        assertEquals("items", e.get("field").asText());
        assertEquals(BUDGET, e.get("limit").asInt());
        assertEquals(129L * 512 * 2, e.get("cost").asLong(), "129 items x 512 padded tokens x 2 members");
        assertFalse(ens.headers().firstValue("Retry-After").isPresent(), "retrying cannot help");
        HttpResponse<String> tooMany = post("/v1/rewards", itemsBody(Collections.nCopies(257, "p"), Collections.nCopies(257, "r")),
                Duration.ofSeconds(30));
        assertEquals(413, tooMany.statusCode(), tooMany.body());
        assertEquals("too_many_items", json(tooMany).get("error").asText());
        HttpResponse<String> unknown = post("/v1/rewards", "{\"items\":[{\"prompt\":\"p\",\"response\":\"r\",\"weight\":2}]}",
                Duration.ofSeconds(30));
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertEquals("unknown_field", json(unknown).get("error").asText());
        assertEquals("items[0].weight", json(unknown).get("field").asText());
        assertEquals(0, probeHealth(), "nothing was admitted");
    }

    @Test
    @Order(2)
    void whileABigRequestRunsHealthAndSmallRequestsAreAnsweredAndAtItsDeadlineItsRestIsDropped() throws Exception {
        double computedBefore = computedItems();
        double expiredBefore = metric("warm_scorer_cancelled_items_total{reason=\"deadline\"}");
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<String>> big = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/rewards", longItems(255), Duration.ofSeconds(60));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTrue(() -> probeHealth() > 0, "the big request admitted");

        HttpResponse<String> second = post("/v1/rewards", longItems(255), Duration.ofSeconds(30));
        assertEquals(429, second.statusCode(), second.body());
        assertEquals("queue_full", json(second).get("error").asText());
        assertEquals(255L * 512, json(second).get("cost").asLong());
        assertEquals("1", second.headers().firstValue("Retry-After").orElse(""));

        long t = System.nanoTime();
        HttpResponse<String> small = post("/v1/rewards", itemsBody(List.of("Say hi"), List.of("Hello there!")), Duration.ofSeconds(30));
        long smallMs = (System.nanoTime() - t) / 1_000_000;
        assertEquals(200, small.statusCode(), small.body());
        assertTrue(smallMs < DEADLINE.toMillis(), "a small request rides in the next batch: " + smallMs + " ms");

        int probes = 0;
        while (!big.isDone()) {
            probeHealth();
            probes++;
            Thread.sleep(100);
        }
        HttpResponse<String> bigAnswer = big.join();
        long bigMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(503, bigAnswer.statusCode(), "255 long items are more than " + DEADLINE + " of work: " + bigAnswer.body());
        assertEquals("deadline_exceeded", json(bigAnswer).get("error").asText());
        assertEquals(DEADLINE.toMillis(), json(bigAnswer).get("limit").asLong());
        assertEquals("1", bigAnswer.headers().firstValue("Retry-After").orElse(""));
        assertTrue(bigMs < DEADLINE.toMillis() + 3_000, "answered at its deadline: " + bigMs + " ms");
        assertTrue(probes > 0);

        awaitTrue(() -> probeHealth() == 0, "the budget empties once the running batch ends");
        double computed = computedItems() - computedBefore;
        double expired = metric("warm_scorer_cancelled_items_total{reason=\"deadline\"}") - expiredBefore;
        assertTrue(expired > 0, "items dropped at the deadline");
        assertEquals(256, computed + expired, 0.0, "every item of both requests either computed or dropped, never both: computed "
                + computed + ", dropped " + expired);
    }

    @Test
    @Order(3)
    void theQueuedWorkOfAClientThatHungUpIsNeverComputed() throws Exception {
        double computedBefore = computedItems();
        double goneBefore = metric("warm_scorer_cancelled_items_total{reason=\"client_gone\"}");
        double requestsBefore = metric("warm_scorer_cancelled_requests_total{reason=\"client_gone\"}");
        byte[] body = longItems(255).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/rewards HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            awaitTrue(() -> probeHealth() > 0, "the request admitted");
        } // the client hangs up
        awaitTrue(() -> metric("warm_scorer_cancelled_requests_total{reason=\"client_gone\"}") > requestsBefore, "the cancellation");
        awaitTrue(() -> probeHealth() == 0, "the budget empties once the running batch ends");
        double computed = computedItems() - computedBefore;
        double dropped = metric("warm_scorer_cancelled_items_total{reason=\"client_gone\"}") - goneBefore;
        assertEquals(255, computed + dropped, 0.0, "computed " + computed + ", dropped " + dropped);
        assertTrue(dropped >= 200, "most of the work was never computed: " + dropped + " of 255 dropped");
        assertEquals(200, post("/v1/rewards", itemsBody(List.of("p"), List.of("r")), Duration.ofSeconds(30)).statusCode(),
                "the scorer serves again at once");
    }
}
