package io.warmstream.ingest;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.schemas.EventSerdes;
import io.warmstream.schemas.Topics;
import io.warmstream.testkit.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service for real: HTTP on a random port -> embedded KRaft broker -> validation topology -> validated topic,
 * with the Apicurio registry process behind the serdes.
 */
@ExtendWith(EmbeddedInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngestServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_BODY = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedKafka kafka;
    private EmbeddedServer server;
    private Deserializer<PreferenceLabel> labels;

    @BeforeAll
    void start(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        this.kafka = kafka;
        this.labels = EventSerdes.forRegistry(registry.ccompatUrl()).valueDeserializer(PreferenceLabel.class);
        server = IngestApplication.start(Map.of(
                // Not about authentication (IngestSecurityTest is): the body's labeller stands.
                "micronaut.security.enabled", false,
                "warm.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "warm.registry.url", registry.ccompatUrl(),
                "micronaut.server.max-request-size", MAX_BODY,
                "warm.ingest.limits.prompt-chars", 2_000,
                "warm.ingest.limits.response-chars", 2_000,
                "warm.ingest.topology.application-id", "ingest-test-" + run,
                "warm.ingest.topology.state-dir", Files.createTempDirectory("ingest-state").toString(),
                "warm.ingest.topology.streams.commit.interval.ms", 100));
    }

    @AfterAll
    void stop() {
        if (server != null) server.close(); // before the shared broker stops
    }

    // ---------------------------------------------------------------- helpers

    private String label(String id) {
        return "{\"id\":\"" + id + "\",\"prompt\":\"Which reply is kinder?\",\"chosen\":\"Thank you!\",\"rejected\":\"Whatever.\","
                + "\"labeller\":\"ann\",\"confidence\":0.8,\"createdAt\":\"2024-05-01T12:00:00Z\",\"metadata\":{\"batch\":\"" + run + "\"}}";
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/preferences"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return post("application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        return JSON.readTree(r.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Waits until every id is on the validated topic and returns the labels found for our ids. */
    private Map<String, List<PreferenceLabel>> awaitValid(Set<String> ids) {
        List<ConsumerRecord<byte[], PreferenceLabel>> records = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.PREFERENCES,
                labels, seen -> seen.stream().map(r -> r.value().getId()).collect(Collectors.toSet()).containsAll(ids), WAIT);
        return records.stream().map(ConsumerRecord::value).filter(l -> l.getId().startsWith(run))
                .collect(Collectors.groupingBy(PreferenceLabel::getId));
    }

    private static void assertRejection(JsonNode rejection, int index, String field, String reason) {
        assertEquals(index, rejection.get("index").asInt(), rejection.toString());
        assertEquals(field, rejection.get("field").asText(), rejection.toString());
        assertEquals(reason, rejection.get("reason").asText(), rejection.toString());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void batchOverHttpReachesTheValidatedTopicAndInvalidItemsAreReportedPerItem() throws Exception {
        String a = run + "batch-a", b = run + "batch-b";
        HttpResponse<String> r = post("[" + label(a) + ",{\"id\":\"" + run + "bad\",\"prompt\":\"p\",\"chosen\":\"same\",\"rejected\":\"same\"},"
                + label(b) + "]");
        assertEquals(202, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(List.of(a, b), texts(body.get("accepted")));
        assertEquals(1, body.get("rejected").size());
        assertRejection(body.get("rejected").get(0), 1, "rejected", "same_as_chosen");
        assertFalse(body.has("notWritten"));

        Map<String, List<PreferenceLabel>> found = awaitValid(Set.of(a, b));
        PreferenceLabel got = found.get(a).get(0);
        assertEquals("Which reply is kinder?", got.getPrompt());
        assertEquals("Thank you!", got.getChosen());
        assertEquals("ann", got.getLabeller());
        assertEquals("http", got.getSource());
        assertEquals(0.8, got.getConfidence());
        assertEquals(Map.of("batch", run), got.getMetadata());
        assertFalse(found.containsKey(run + "bad"));
    }

    @Test
    void ndjsonAndSingleObjectBodiesAreAccepted() throws Exception {
        String n1 = run + "nd-1", n2 = run + "nd-2", single = run + "single";
        HttpResponse<String> nd = post("application/x-ndjson",
                (label(n1) + "\n{\"prompt\": oops}\n" + label(n2) + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(202, nd.statusCode(), nd.body());
        JsonNode body = json(nd);
        assertEquals(List.of(n1, n2), texts(body.get("accepted")));
        JsonNode broken = body.get("rejected").get(0);
        assertRejection(broken, 1, "$", "malformed_json");
        assertEquals(2, broken.get("line").asInt());

        HttpResponse<String> one = post(label(single));
        assertEquals(202, one.statusCode(), one.body());
        assertEquals(List.of(single), texts(json(one).get("accepted")));
        awaitValid(Set.of(n1, n2, single));
    }

    @Test
    void wrongTypesHugeFieldsAndInvalidUtf8AreItemErrorsAndNeighboursArrive() throws Exception {
        String left = run + "left", right = run + "right";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("[" + label(left) + ",").getBytes(StandardCharsets.UTF_8));
        body.writeBytes("{\"prompt\":\"p\",\"chosen\":{\"text\":\"x\"},\"rejected\":\"y\"},".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("{\"prompt\":\"" + "long ".repeat(401) + "\",\"chosen\":\"x\",\"rejected\":\"y\"},").getBytes(StandardCharsets.UTF_8));
        body.writeBytes("{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"bad byte: ".getBytes(StandardCharsets.UTF_8));
        body.write(0xC0); // never valid in UTF-8
        body.writeBytes(("\"},{\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\",\"confidence\":1.01}," + label(right) + "]")
                .getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> r = post("application/json", body.toByteArray());
        assertEquals(202, r.statusCode(), r.body());
        JsonNode reply = json(r);
        assertEquals(List.of(left, right), texts(reply.get("accepted")));
        JsonNode rejected = reply.get("rejected");
        assertEquals(4, rejected.size());
        assertRejection(rejected.get(0), 1, "chosen", "wrong_type");
        assertRejection(rejected.get(1), 2, "prompt", "too_long");
        assertEquals("prompt is 2005 characters; the limit is 2000", rejected.get(1).get("detail").asText());
        assertRejection(rejected.get(2), 3, "rejected", "invalid_utf8");
        assertRejection(rejected.get(3), 4, "confidence", "out_of_range");
        awaitValid(Set.of(left, right));
    }

    @Test
    void allItemsInvalidGives422WithTheSameBody() throws Exception {
        HttpResponse<String> r = post("[{\"prompt\":\" \",\"chosen\":\"x\",\"rejected\":\"y\"},{\"id\":\"bad id!\",\"prompt\":\"p\",\"chosen\":\"x\",\"rejected\":\"y\"}]");
        assertEquals(422, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(0, body.get("accepted").size());
        assertRejection(body.get("rejected").get(0), 0, "prompt", "blank");
        assertRejection(body.get("rejected").get(1), 1, "id", "malformed");
    }

    @Test
    void malformedJsonGives400WithLineAndColumn() throws Exception {
        HttpResponse<String> r = post("[\n" + label(run + "never") + ",\n{\"prompt\" \"p\"}\n]");
        assertEquals(400, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals("malformed_json", body.get("error").asText());
        assertEquals(3, body.get("line").asInt());
        assertTrue(body.get("column").asInt() > 0);
        assertTrue(body.get("message").asText().contains("was expecting a colon"), body.toString());

        HttpResponse<String> empty = post("");
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals("empty_body", json(empty).get("error").asText(), empty.body());
    }

    @Test
    void oversizedBodiesGet413WithAJsonBodyWithOrWithoutContentLength() throws Exception {
        byte[] big = ("[" + (label(run + "big") + ",").repeat(MAX_BODY / 200) + label(run + "big-last") + "]").getBytes(StandardCharsets.UTF_8);
        assertTrue(big.length > MAX_BODY);
        HttpResponse<String> sized = post("application/json", big);
        assertEquals(413, sized.statusCode(), sized.body());
        assertEquals("payload_too_large", json(sized).get("error").asText());
        assertEquals(MAX_BODY, json(sized).get("limit").asInt());

        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/v1/preferences"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals("payload_too_large", json(chunked).get("error").asText());

        // The service is still fine afterwards.
        String after = run + "after-413";
        assertEquals(202, post(label(after)).statusCode());
        awaitValid(Set.of(after));
    }

    @Test
    void poisonBytesOnTheRawTopicAreDeadLetteredAndNeighboursPass(EmbeddedRegistry registry) throws Exception {
        String before = run + "raw-before", after = run + "raw-after";
        byte[] poison = ("not avro " + run).getBytes(StandardCharsets.UTF_8);
        byte[] poisonKey = (run + "poison").getBytes(StandardCharsets.UTF_8);
        // Confluent framing with a schema id the registry does not have (404): poison, not a registry outage.
        byte[] unknownSchemaId = java.nio.ByteBuffer.allocate(5 + run.length()).put((byte) 0).putInt(987_654)
                .put(run.getBytes(StandardCharsets.US_ASCII)).array();
        var serializer = EventSerdes.forRegistry(registry.ccompatUrl()).valueSerializer(PreferenceLabel.class);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, before.getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.PREFERENCES_RAW, Labels.valid(before)))).get();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, 0, poisonKey, poison)).get();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, 1, null, unknownSchemaId)).get();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, 0, null,
                    serializer.serialize(Topics.PREFERENCES_RAW, Labels.builder(after + "-x").setChosen("").build()))).get();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, null, // no key: re-keyed by the topology
                    serializer.serialize(Topics.PREFERENCES_RAW, Labels.valid(after)))).get();
        }
        awaitValid(Set.of(before, after));

        List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.PREFERENCES_DLQ,
                (topic, bytes) -> bytes, seen -> seen.stream().filter(d -> d.value() != null
                        && (new String(d.value(), StandardCharsets.ISO_8859_1).contains(run))).count() >= 3, WAIT);
        ConsumerRecord<byte[], byte[]> undecodable = dead.stream().filter(d -> java.util.Arrays.equals(poison, d.value())).findFirst().orElseThrow();
        assertArrayEquals(poisonKey, undecodable.key());
        assertTrue(DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.REASON).startsWith("undecodable: "));
        assertEquals("$", DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.FIELD));
        assertEquals(Topics.PREFERENCES_RAW, DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("0", DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.SOURCE_PARTITION));
        assertTrue(Long.parseLong(DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.SOURCE_OFFSET)) >= 0);
        assertTrue(DeadLetterHeaders.read(undecodable.headers(), DeadLetterHeaders.ERROR_CLASS).endsWith("SerializationException"));

        ConsumerRecord<byte[], byte[]> unknownId = dead.stream().filter(d -> java.util.Arrays.equals(unknownSchemaId, d.value())).findFirst().orElseThrow();
        assertTrue(DeadLetterHeaders.read(unknownId.headers(), DeadLetterHeaders.REASON).startsWith("undecodable: "));
        assertTrue(DeadLetterHeaders.read(unknownId.headers(), DeadLetterHeaders.REASON).contains("987654"),
                DeadLetterHeaders.read(unknownId.headers(), DeadLetterHeaders.REASON));

        ConsumerRecord<byte[], byte[]> blank = dead.stream().filter(d -> d.value() != null && !java.util.Arrays.equals(poison, d.value())
                && new String(d.value(), StandardCharsets.ISO_8859_1).contains(after + "-x")).findFirst().orElseThrow();
        assertEquals("chosen", DeadLetterHeaders.read(blank.headers(), DeadLetterHeaders.FIELD));
        assertEquals("blank: chosen must not be blank", DeadLetterHeaders.read(blank.headers(), DeadLetterHeaders.REASON));
    }

    /**
     * A raw record just under the broker's 1 MiB limit does not fit once the dead-letter headers are added: it goes to
     * the DLQ cut to fit, saying so, and the label behind it on the same partition still arrives (no retry loop).
     */
    @Test
    void aRawRecordNearTheBrokerLimitIsDeadLetteredTruncatedAndTheStreamGoesOn(EmbeddedRegistry registry) throws Exception {
        String after = run + "after-huge";
        // With key and framing just under the producer's and the broker's 1 MiB (1,048,576 / 1,048,588 bytes).
        byte[] huge = new byte[1_048_400];
        java.util.Arrays.fill(huge, (byte) 'x');
        byte[] marker = (run + "huge").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(marker, 0, huge, 0, marker.length);
        var serializer = EventSerdes.forRegistry(registry.ccompatUrl()).valueSerializer(PreferenceLabel.class);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, 0, marker, huge)).get();
            producer.send(new ProducerRecord<>(Topics.PREFERENCES_RAW, 0, after.getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(Topics.PREFERENCES_RAW, Labels.valid(after)))).get();
        }
        awaitValid(Set.of(after));

        List<ConsumerRecord<byte[], byte[]>> dead = KafkaTopics.readUntil(kafka.bootstrapServers(), Topics.PREFERENCES_DLQ,
                (topic, bytes) -> bytes, seen -> seen.stream().anyMatch(d -> java.util.Arrays.equals(marker, d.key())), WAIT);
        ConsumerRecord<byte[], byte[]> cut = dead.stream().filter(d -> java.util.Arrays.equals(marker, d.key()))
                .findFirst().orElseThrow();
        assertEquals(1, dead.stream().filter(d -> java.util.Arrays.equals(marker, d.key())).count(), "dead-lettered once");
        assertTrue(cut.value().length < huge.length && cut.value().length > 900_000, "cut: " + cut.value().length);
        assertArrayEquals(java.util.Arrays.copyOf(huge, cut.value().length), cut.value());
        assertTrue(DeadLetterHeaders.read(cut.headers(), DeadLetterHeaders.TRUNCATED).startsWith("key "),
                DeadLetterHeaders.read(cut.headers(), DeadLetterHeaders.TRUNCATED));
        assertTrue(DeadLetterHeaders.read(cut.headers(), DeadLetterHeaders.REASON).contains("dead letter truncated"));
    }

    @Test
    void resentIdsAreDroppedAsDuplicatesAndCounted() throws Exception {
        String dup = run + "dup", sentinel = run + "dup-sentinel";
        assertEquals(202, post(label(dup)).statusCode());
        assertEquals(202, post("[" + label(dup) + "," + label(sentinel) + "]").statusCode());
        awaitValid(Set.of(dup, sentinel));
        // The duplicate is processed in the same transaction as, or before, the sentinel (same request, same partition
        // or earlier), so once the sentinel is visible the counter must show it.
        Await.until("duplicates counted", WAIT, Duration.ofMillis(200),
                () -> metric("warm_ingest_topology_duplicates_total"), duplicates -> duplicates >= 1);
        assertEquals(1, awaitValid(Set.of(dup)).get(dup).size());
    }

    @Test
    void healthAndPrometheusEndpointsAnswer() throws Exception {
        assertEquals(202, post(label(run + "metrics")).statusCode());
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        JsonNode h = JSON.readTree(health.body());
        assertEquals("UP", h.get("status").asText(), health.body());
        JsonNode kafkaDetails = h.at("/details/kafka");
        assertEquals("UP", kafkaDetails.get("status").asText(), health.body());
        assertEquals(1, kafkaDetails.at("/details/brokers").asInt(), health.body());
        assertTrue(metric("warm_ingest_http_accepted_total") >= 1);
        assertTrue(metricsText().contains("warm_ingest_http_rejected_total{reason=\"blank\"}"));
    }

    private String metricsText() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.getURL() + "/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private double metric(String name) throws Exception {
        for (String line : metricsText().split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name);
    }

    @SuppressWarnings("unused")
    private static Set<String> set(String... s) {
        return new HashSet<>(List.of(s));
    }
}
