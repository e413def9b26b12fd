package io.warmstream.scorer.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.DriftReport;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.scorer.ScorerTestProperties;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drift monitoring for real: the scorer on the embedded broker and registry with tiny models, labels on
 * warm.preferences and traffic over HTTP, DriftReports read back from warm.drift, GET /v1/drift, /prometheus, and
 * the dashboard rendered by headless Chromium. Short windows (2 s) so reports come quickly. Methods run in order.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftMonitoringTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final double HOLDOUT = 0.5;

    final String run = "d" + UUID.randomUUID().toString().substring(0, 8);
    final String average = "drift-" + run;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final Holdout holdout = new Holdout(HOLDOUT, "drift-test-salt");

    KafkaSettings settings;
    TinyModelStore models;
    KafkaProducer<String, byte[]> producer;
    Serializer<WarmModelPublished> events;
    Serializer<PreferenceLabel> labels;
    Path tmp;
    EmbeddedServer server;
    TinyModelStore.Stored v1;
    TinyModelStore.Stored v2;
    List<TinyModelStore.Stored> members;
    int labelCounter;
    int labelsSent;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        try (org.apache.kafka.clients.admin.Admin admin = settings.admin("drift-it-admin")) {
            settings.provision(admin, List.of(Topics.spec(Topics.PREFERENCES))); // as ingest does
        }
        tmp = Files.createTempDirectory("scorer-drift-it");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        models = new TinyModelStore(store, tmp.resolve("work"));
        producer = new KafkaProducer<>(settings.producerConfig("drift-it", Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000)));
        events = settings.serdes().valueSerializer(WarmModelPublished.class);
        labels = settings.serdes().valueSerializer(PreferenceLabel.class);
        v1 = models.put("averages/" + average + "/v1", 1);
        v2 = models.put("averages/" + average + "/v2", 2);
        members = List.of(models.put("checkpoints/" + average + "/a", 11), models.put("checkpoints/" + average + "/b", 12));
        // Stream scoring stays off (ScorerTestProperties): only this test's HTTP requests are traffic, not score
        // requests other tests left on the shared broker.
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put("warm.scorer.drift.enabled", true);
        p.put("warm.scorer.drift.application-id", "drift-it-drift-" + run);
        p.put("warm.scorer.drift.labels.group-id", "drift-it-labels-" + run);
        p.put("warm.scorer.drift.labels.offset-reset", "earliest");
        p.put("warm.scorer.drift.window", "2s");
        p.put("warm.scorer.drift.grace", "300ms");
        p.put("warm.scorer.drift.tick", "300ms");
        p.put("warm.scorer.drift.holdout.fraction", HOLDOUT);
        p.put("warm.scorer.drift.holdout.salt", holdout.salt());
        p.put("warm.scorer.drift.reference.min-labels", 4);
        server = ScorerApplication.start(p);
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close(); // before the shared broker stops
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    // ------------------------------------------------------------------ helpers

    void publish(long version, TinyModelStore.Stored model, List<TinyModelStore.Stored> ms) throws Exception {
        WarmModelPublished e = TinyModelStore.event(average, version, model.uri(), model.sha256(), ms);
        producer.send(new ProducerRecord<>(Topics.MODELS, average, events.serialize(Topics.MODELS, e))).get(30, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode rewards(List<String> prompts, List<String> responses) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (int i = 0; i < prompts.size(); i++) items.addObject().put("prompt", prompts.get(i)).put("response", responses.get(i));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/rewards")).timeout(WAIT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    void awaitServing(long version) throws Exception {
        Await.until("version " + version + " served", WAIT, Duration.ofMillis(50),
                () -> JSON.readTree(get("/v1/models/current").body()), current -> current.path("version").asLong() == version);
    }

    /** Labels with distinct texts; at least {@code heldOut} of them in the validation split (the PSI reference). */
    List<PreferenceLabel> labels(int n, int heldOut) {
        List<PreferenceLabel> out = new ArrayList<>();
        int held = 0;
        while (out.size() < n || held < heldOut) {
            int i = labelCounter++;
            String id = run + "-label-" + i;
            if (holdout.isHeldOut(id)) held++;
            out.add(PreferenceLabel.newBuilder().setId(id).setPrompt("Question " + i + ": how do plants grow?")
                    .setChosen("They use sunlight, water and carbon dioxide; answer number " + i + ".")
                    .setRejected(i % 3 == 0 ? "No idea." : "Plants " + "grow ".repeat(1 + i % 4))
                    .setLabeller("tester").setSource("drift-it").setConfidence(null).setCreatedAt(Instant.now())
                    .setMetadata(null).build());
        }
        return out;
    }

    void send(List<PreferenceLabel> ls) throws Exception {
        for (PreferenceLabel l : ls) {
            producer.send(new ProducerRecord<>(Topics.PREFERENCES, l.getId(), labels.serialize(Topics.PREFERENCES, l)));
        }
        producer.flush();
        labelsSent += ls.size();
    }

    /** Traffic: {@code requests} requests of 3 items each. */
    int traffic(int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            rewards(List.of("Say hi " + i, "Summarise " + i, "Explain " + i),
                    List.of("Hello there " + i, "A short summary " + i, "Because of reasons " + i));
        }
        return requests * 3;
    }

    /** Labels the model at {@code dir} orders right, and its chosen-minus-rejected signs. */
    static int[] signs(Path dir, List<PreferenceLabel> ls) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        ls.forEach(l -> { prompts.add(l.getPrompt()); responses.add(l.getChosen()); });
        ls.forEach(l -> { prompts.add(l.getPrompt()); responses.add(l.getRejected()); });
        float[] r = TinyModelStore.score(dir, prompts, responses);
        int[] s = new int[ls.size()];
        for (int i = 0; i < s.length; i++) {
            assertTrue(Math.abs(r[i] - r[i + s.length]) > 1e-4, "labels must not be near ties for exact counts");
            s[i] = Float.compare(r[i], r[i + s.length]) > 0 ? 1 : -1;
        }
        return s;
    }

    /** Reports on warm.drift for this average, read from the beginning until {@code done} holds for those of {@code version}. */
    List<DriftReport> awaitReports(long version, Predicate<List<DriftReport>> done, String what) {
        Deserializer<DriftReport> d = settings.serdes().valueDeserializer(DriftReport.class);
        List<DriftReport> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings.consumerConfig(null, "drift-reader-" + run,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.DRIFT).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(200))) {
                    DriftReport r = d.deserialize(rec.topic(), rec.value());
                    if (average.equals(rec.key()) && r.getModelVersion() == version) found.add(r);
                }
                if (done.test(found)) return found;
            }
        }
        fail("timed out waiting for " + what + "; reports of v" + version + ": " + found);
        return found;
    }

    static long sum(List<DriftReport> rs, java.util.function.ToLongFunction<DriftReport> f) {
        return rs.stream().mapToLong(f).sum();
    }

    /** Correct labels of a report, back from its accuracy and count. */
    static long correct(DriftReport r) {
        return r.getPrequentialAccuracy() == null ? 0 : Math.round(r.getPrequentialAccuracy() * r.getPrequentialCount());
    }

    // ------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void reportsOfVersionOneCountTrafficAndFreshLabels() throws Exception {
        publish(1, v1, List.of());
        awaitServing(1);
        List<PreferenceLabel> fresh = labels(12, 6);
        send(fresh);
        producer.send(new ProducerRecord<>(Topics.PREFERENCES, run + "-garbage", new byte[] {0, 0, 0, 0, 9, 9})).get();
        int scored = traffic(5);
        long expectedCorrect = java.util.Arrays.stream(signs(v1.localDir(), fresh)).filter(s -> s > 0).count();

        List<DriftReport> reports = awaitReports(1, rs -> sum(rs, DriftReport::getPrequentialCount) >= fresh.size()
                && sum(rs, DriftReport::getScoredCount) >= scored, "every label and reward of v1 reported");
        assertEquals(fresh.size(), sum(reports, DriftReport::getPrequentialCount), "each fresh label counted once");
        assertEquals(scored, sum(reports, DriftReport::getScoredCount), "each traffic reward counted once");
        assertEquals(expectedCorrect, sum(reports, DriftMonitoringTest::correct), "prequential accuracy as computed here");
        for (DriftReport r : reports) {
            assertTrue(r.getWindowEnd().toEpochMilli() - r.getWindowStart().toEpochMilli() == 2000, r.toString());
            if (r.getScoredCount() > 0) {
                assertNotNull(r.getRewardMean());
                assertTrue(r.getRewardStd() >= 0);
                assertTrue(r.getRewardQuantiles().get("p05") <= r.getRewardQuantiles().get("p95"), r.toString());
            }
            assertEquals(null, r.getAgreementWithPrevious(), "no previous version");
        }

        // The reference (held-out labels scored by v1) is sent once enough were seen: later windows get a PSI.
        List<DriftReport> withPsi = Await.until("a report of v1 with a PSI", WAIT, Duration.ofMillis(300), () -> {
            traffic(2);
            return awaitReports(1, rs -> true, "").stream().filter(r -> r.getPsi() != null).toList();
        }, found -> !found.isEmpty());
        assertTrue(withPsi.get(0).getPsi() >= 0, withPsi.toString());
    }

    @Test
    @Order(2)
    void afterASwapReportsCompareWithThePreviousVersion() throws Exception {
        publish(2, v2, members);
        awaitServing(2);
        List<PreferenceLabel> fresh = labels(10, 0);
        send(fresh);
        int scored = traffic(3);
        int[] before = signs(v1.localDir(), fresh);
        int[] after = signs(v2.localDir(), fresh);
        long same = 0;
        long correct = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] == after[i]) same++;
            if (after[i] > 0) correct++;
        }
        List<DriftReport> reports = awaitReports(2, rs -> sum(rs, DriftReport::getPrequentialCount) >= fresh.size()
                && sum(rs, DriftReport::getScoredCount) >= scored, "every label and reward of v2 reported");
        assertEquals(fresh.size(), sum(reports, DriftReport::getPrequentialCount));
        assertEquals(correct, sum(reports, DriftMonitoringTest::correct));
        long agreeing = 0;
        for (DriftReport r : reports) {
            if (r.getPrequentialCount() > 0) {
                assertEquals(1L, r.getPreviousVersion(), r.toString());
                assertNotNull(r.getAgreementWithPrevious(), r.toString());
                agreeing += Math.round(r.getAgreementWithPrevious() * r.getPrequentialCount());
            }
        }
        assertEquals(same, agreeing, "labels both versions order alike, as computed here");
    }

    @Test
    @Order(3)
    void driftEndpointAndPrometheusShowTheReports() throws Exception {
        JsonNode body = JSON.readTree(get("/v1/drift").body());
        assertEquals(average, body.get("average").asText());
        assertEquals(2, body.get("windowSeconds").asLong());
        List<Long> versions = new ArrayList<>();
        String previousEnd = null;
        for (JsonNode r : body.get("reports")) {
            versions.add(r.get("version").asLong());
            String end = r.get("windowEnd").asText();
            assertTrue(previousEnd == null || Instant.parse(end).compareTo(Instant.parse(previousEnd)) <= 0, "newest first");
            previousEnd = end;
        }
        assertTrue(versions.contains(1L) && versions.contains(2L), versions.toString());
        assertEquals(2L, versions.get(0), "the newest window is v2's");
        assertEquals(1, JSON.readTree(get("/v1/drift?limit=1").body()).get("reports").size());
        HttpResponse<String> bad = get("/v1/drift?limit=zero");
        assertEquals(400, bad.statusCode());
        assertEquals("limit", JSON.readTree(bad.body()).get("field").asText());

        String metrics = get("/prometheus").body();
        for (String gauge : List.of("warm_scorer_drift_reward_mean", "warm_scorer_drift_prequential_accuracy",
                "warm_scorer_drift_agreement", "warm_scorer_drift_psi", "warm_scorer_drift_reward_std")) {
            assertTrue(metrics.contains(gauge + "{average=\"" + average + "\",version=\"2\"}"), gauge + " in " + metrics);
        }
        assertTrue(metrics.contains("warm_scorer_drift_labels_skipped_total{reason=\"undecodable\"} 1.0"), metrics);
        assertTrue(metrics.contains("warm_scorer_drift_labels_scored_total " + labelsSent + ".0"), metrics);
        for (String existing : List.of("warm_scorer_swaps_total 2.0", "warm_scorer_queue_items", "warm_scorer_batch_items_count",
                "warm_scorer_batch_forward_seconds_count", "http_server_requests_seconds_count")) {
            assertTrue(metrics.contains(existing), existing);
        }
    }

    @Test
    @Order(4)
    void theDashboardRendersVersionsAndChartsInChromium() throws Exception {
        HttpResponse<String> root = get("/");
        assertEquals(303, root.statusCode());
        assertEquals("/dashboard", root.headers().firstValue("Location").orElse(""));
        HttpResponse<String> page = get("/dashboard");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(https?:)?//").matcher(page.body()).find(), "nothing loaded from elsewhere");

        Path chromium = Chromium.find();
        Assumptions.assumeTrue(chromium != null, "no chromium binary (CI installs Debian's chromium)");
        String dom = null;
        JsonNode drift = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            JsonNode before = JSON.readTree(get("/v1/drift").body());
            dom = Chromium.dumpDom(chromium, server.getURL() + "/dashboard", tmp.resolve("chromium-" + attempt));
            drift = JSON.readTree(get("/v1/drift").body());
            if (before.equals(drift)) break; // no report arrived meanwhile: the page saw these
        }

        JsonNode versions = JSON.readTree(get("/v1/models").body()).get("versions");
        for (JsonNode v : versions) {
            Matcher row = Pattern.compile("<tr class=\"" + v.get("state").asText() + "\" data-version=\"" + v.get("version").asLong()
                    + "\">(.*?)</tr>").matcher(dom);
            assertTrue(row.find(), "row of v" + v.get("version") + " in " + dom);
            assertTrue(row.group(1).contains("<td>v" + v.get("version").asLong() + "</td>"), row.group(1));
            assertTrue(row.group(1).contains("<td>0.700</td>"), "validation accuracy: " + row.group(1));
        }
        Matcher v2row = Pattern.compile("<tr class=\"serving\" data-version=\"2\">(.*?)</tr>").matcher(dom);
        assertTrue(v2row.find());
        for (TinyModelStore.Stored m : members) {
            assertTrue(v2row.group(1).contains("job-" + m.localDir().getFileName() + " (0.600, 0.50)"), v2row.group(1));
        }
        assertTrue(dom.contains("serving v2"), "status line");

        assertEquals(count(drift, "rewardMean"), circles(dom, "chart-mean"), "one point per report with a reward mean");
        assertEquals(count(drift, "psi"), circles(dom, "chart-psi"));
        assertEquals(count(drift, "prequentialAccuracy"), circles(dom, "chart-accuracy"));
        assertEquals(count(drift, "agreementWithPrevious"), circles(dom, "chart-agreement"));
        assertTrue(count(drift, "agreementWithPrevious") > 0 && count(drift, "psi") > 0);
        assertEquals(2, circles(dom, "chart-versions"), "both versions on the timeline");
    }

    static int count(JsonNode drift, String figure) {
        int n = 0;
        for (JsonNode r : drift.get("reports")) if (r.hasNonNull(figure)) n++;
        return n;
    }

    static int circles(String dom, String chart) {
        Matcher svg = Pattern.compile("<svg id=\"" + chart + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
        assertTrue(svg.find(), chart + " in " + dom);
        Matcher c = Pattern.compile("<circle [^>]*class=\"pt\"").matcher(svg.group(1));
        int n = 0;
        while (c.find()) n++;
        return n;
    }
}
