package io.warmstream.scorer.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.EvaluationSubject;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.scorer.ScorerTestProperties;
import io.warmstream.testkit.Await;
import io.warmstream.testkit.TinyModelStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The test-set judge in the real scorer, on the embedded broker and registry: a served version and its members are
 * scored on a JSONL test set, and the figures (checked against rewards computed here, outside the scorer) appear in
 * GET /v1/models/current, on warm.evaluations and as Prometheus gauges.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestSetJudgeTest {

    static final Duration WAIT = Duration.ofSeconds(90);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PAIRS = 40;

    final String run = "j" + UUID.randomUUID().toString().substring(0, 8);
    final String average = "judge-" + run;
    final HttpClient http = HttpClient.newHttpClient();
    final List<String> prompts = new ArrayList<>();
    final List<String> better = new ArrayList<>();
    final List<String> worse = new ArrayList<>();

    KafkaSettings settings;
    Path tmp;
    EmbeddedServer server;
    TinyModelStore models;
    TinyModelStore.Stored version;
    List<TinyModelStore.Stored> members;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        settings = KafkaSettings.of(kafka.bootstrapServers(), registry.ccompatUrl());
        tmp = Files.createTempDirectory("scorer-judge-it");
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));
        models = new TinyModelStore(store, tmp.resolve("work"));
        version = models.put("averages/" + average + "/v1", 21);
        members = List.of(models.put("checkpoints/" + average + "/a", 22), models.put("checkpoints/" + average + "/b", 23));
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < PAIRS; i++) {
            prompts.add("Summarise post " + i + ": the council approved the new bridge after " + i + " years.");
            better.add("The council approved the bridge after " + i + " years.");
            worse.add(i % 2 == 0 ? "Something happened." : "The council " + "met ".repeat(1 + i % 5));
            jsonl.append(JSON.createObjectNode().put("id", "t" + i).put("prompt", prompts.get(i))
                    .put("chosen", better.get(i)).put("rejected", worse.get(i))).append('\n');
        }
        Path file = tmp.resolve("clean.jsonl");
        Files.writeString(file, jsonl);
        Map<String, Object> p = ScorerTestProperties.of(settings, store.root(), average, tmp);
        p.put("warm.scorer.evaluation.test-sets", "clean=" + file);
        server = ScorerApplication.start(p);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producerConfig("judge-it", Map.of()))) {
            WarmModelPublished e = TinyModelStore.event(average, 1, version.uri(), version.sha256(), members);
            e.setGeneration(2); // a later shared-head generation: its evaluations must say so
            producer.send(new ProducerRecord<>(Topics.MODELS, average,
                    settings.serdes().valueSerializer(WarmModelPublished.class).serialize(Topics.MODELS, e))).get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stop() {
        if (server != null) server.getApplicationContext().close();
    }

    @Test
    @Order(1)
    void servedVersionAndMembersAreJudgedOnTheTestSet() throws Exception {
        JsonNode current = awaitJudged();
        double expected = accuracy(version.localDir());
        JsonNode figure = current.path("testSets").path("clean");
        assertEquals(PAIRS, figure.path("pairs").asInt());
        assertEquals(expected, figure.path("accuracy").asDouble(), 1e-9, "the version's accuracy, computed here");
        assertEquals(Math.sqrt(expected * (1 - expected) / PAIRS), figure.path("standardError").asDouble(), 1e-9);
        for (int i = 0; i < members.size(); i++) {
            JsonNode m = current.path("members").get(i).path("testSets").path("clean");
            assertEquals(accuracy(members.get(i).localDir()), m.path("accuracy").asDouble(), 1e-9, "member " + i);
        }

        List<ModelEvaluation> published = readEvaluations(3);
        assertEquals(EvaluationSubject.VERSION, published.get(0).getSubject(), "the served version is judged first");
        ModelEvaluation v = published.get(0);
        assertEquals(1, v.getVersion());
        assertEquals(2, v.getGeneration(), "the version's shared-head generation");
        assertEquals("clean", v.getTestSet());
        assertEquals(expected, v.getAccuracy(), 1e-9);
        // Per pair, as computed here: consumers can pair two models' verdicts.
        byte[] bits = new byte[v.getOutcomes().remaining()];
        v.getOutcomes().duplicate().get(bits);
        assertArrayEquals(rightPairs(version.localDir()),
                TestSetOutcomes.unpacked("clean", PAIRS, bits, 0).right());
        assertEquals(2, published.stream().filter(e -> e.getSubject() == EvaluationSubject.MEMBER).count());

        String metrics = get("/prometheus");
        assertTrue(metrics.contains("warm_scorer_test_set_accuracy{test_set=\"clean\"} " + expected)
                || metrics.matches("(?s).*warm_scorer_test_set_accuracy\\{test_set=\"clean\"} " + expected + ".*"), metrics);
        assertTrue(metrics.contains("warm_scorer_test_set_version 1.0"), "the judged version is exported");
    }

    @Test
    @Order(2)
    void aMemberWithTheVersionsWeightsGetsTheVersionsFiguresWithoutBeingScoredAgain() throws Exception {
        TinyModelStore.Stored v2 = models.put("averages/" + average + "/v2", 31);
        TinyModelStore.Stored only = models.put("checkpoints/" + average + "/only", 31);
        assertEquals(v2.sha256(), only.sha256(), "a one-member average holds its member's weights");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.producerConfig("judge-it-2", Map.of()))) {
            WarmModelPublished e = TinyModelStore.event(average, 2, v2.uri(), v2.sha256(), List.of(only));
            producer.send(new ProducerRecord<>(Topics.MODELS, average,
                    settings.serdes().valueSerializer(WarmModelPublished.class).serialize(Topics.MODELS, e))).get(30, TimeUnit.SECONDS);
        }
        List<ModelEvaluation> published = readEvaluations(5);
        ModelEvaluation version2 = published.get(3);
        ModelEvaluation member = published.get(4);
        assertEquals(2, version2.getVersion());
        assertEquals(EvaluationSubject.VERSION, version2.getSubject());
        assertEquals(EvaluationSubject.MEMBER, member.getSubject());
        assertEquals(2, member.getVersion());
        double expected = accuracy(v2.localDir());
        assertEquals(expected, version2.getAccuracy(), 1e-9);
        assertEquals(expected, member.getAccuracy(), 1e-9);
        assertEquals(version2.getStandardError(), member.getStandardError(), 1e-12);
        assertTrue(version2.getDurationMs() > 0, "the version was scored: " + version2.getDurationMs() + " ms");
        assertEquals(0, member.getDurationMs(), "its member was not scored again");

        // The API pairs v2 with v1, the version judged before it, on the same test pairs.
        boolean[] now = rightPairs(v2.localDir());
        boolean[] before = rightPairs(version.localDir());
        double[] expectedChange = new TestSetOutcomes("clean", now, 0).pairedDifference(new TestSetOutcomes("clean", before, 0));
        JsonNode list = Await.until("v2 on the versions list with its change against v1", WAIT, Duration.ofMillis(100),
                () -> JSON.readTree(get("/v1/models")), l -> versionNode(l, 2).path("testSets").path("clean").has("vsPrevious"));
        JsonNode vs = versionNode(list, 2).path("testSets").path("clean").path("vsPrevious");
        assertEquals(1, vs.path("version").asLong());
        assertEquals(expectedChange[0], vs.path("difference").asDouble(), 1e-12);
        assertEquals(expectedChange[1], vs.path("standardError").asDouble(), 1e-12);
        assertTrue(versionNode(JSON.readTree(get("/v1/models")), 1).path("testSets").path("clean").path("vsPrevious")
                .isMissingNode(), "v1 has nothing before it");
    }

    private static JsonNode versionNode(JsonNode list, long version) {
        for (JsonNode v : list.path("versions")) {
            if (v.path("version").asLong() == version) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    double accuracy(Path dir) {
        boolean[] right = rightPairs(dir);
        int hits = 0;
        for (boolean r : right) {
            if (r) hits++;
        }
        return (double) hits / right.length;
    }

    boolean[] rightPairs(Path dir) {
        float[] b = TinyModelStore.score(dir, prompts, better);
        float[] w = TinyModelStore.score(dir, prompts, worse);
        boolean[] right = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            right[i] = b[i] > w[i];
        }
        return right;
    }

    JsonNode awaitJudged() throws Exception {
        return Await.until("version 1 and its members judged on the clean test set", WAIT, Duration.ofMillis(100),
                () -> JSON.readTree(get("/v1/models/current")), current -> current.path("testSets").has("clean")
                        && current.path("members").size() == members.size()
                        && java.util.stream.StreamSupport.stream(current.path("members").spliterator(), false)
                                .allMatch(m -> m.path("testSets").has("clean")));
    }

    List<ModelEvaluation> readEvaluations(int n) {
        Deserializer<ModelEvaluation> d = settings.serdes().valueDeserializer(ModelEvaluation.class);
        List<ModelEvaluation> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings.consumerConfig(null, "judge-it-" + run, Map.of()))) {
            TopicPartition tp = new TopicPartition(Topics.EVALUATIONS, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    ModelEvaluation e = d.deserialize(r.topic(), r.value());
                    if (e.getAverage().equals(average)) out.add(e);
                }
            }
        }
        assertEquals(n, out.size(), "evaluations of " + average + " on " + Topics.EVALUATIONS);
        return out;
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
