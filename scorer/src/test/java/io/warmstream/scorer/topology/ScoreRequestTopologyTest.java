package io.warmstream.scorer.topology;

import io.warmstream.events.ScoreRequest;
import io.warmstream.platform.PlainAvroSerde;
import io.warmstream.events.ScoreResult;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScoreRequestTopologyTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final PlainAvroSerde<ScoreRequest> requests = new PlainAvroSerde<>(ScoreRequest.class);
    private final PlainAvroSerde<ScoreResult> results = new PlainAvroSerde<>(ScoreResult.class);
    private final AtomicInteger transientFailures = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> in;
    private TestOutputTopic<String, ScoreResult> out;

    /** Reward = response length / 10, version 7; "explode" fails, "busy" fails transiently once per count. */
    private ScoreRequestTopology.ScoredItem score(String prompt, String response) {
        if (response.equals("explode")) {
            throw new IllegalStateException("model failed on this input");
        }
        if (response.equals("busy") && transientFailures.getAndDecrement() > 0) {
            throw new RetriableScoringException("queue full", null);
        }
        return new ScoreRequestTopology.ScoredItem("default", 7, response.length() / 10.0);
    }

    @BeforeEach
    void start() {
        StreamsBuilder b = new StreamsBuilder();
        ScoreRequestTopology.build(b, new ScoreRequestTopology.Settings("req", "res", "default", requests.deserializer(),
                results, this::score, 20, Clock.fixed(NOW, ZoneOffset.UTC)));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "score-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(b.build(), p);
        in = driver.createInputTopic("req", new ByteArraySerializer(), new ByteArraySerializer());
        out = driver.createOutputTopic("res", new StringDeserializer(), results.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private byte[] request(String id, String prompt, String response) {
        return requests.serializer().serialize("req", new ScoreRequest(id, prompt, response, NOW));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eachRequestGetsItsRewardWithTheVersionAndBadRecordsGetErrorsInOrder() {
        in.pipeInput(bytes("r1"), request("r1", "Is this kind?", "Thank you so much"));
        in.pipeInput(bytes("r2"), bytes("not avro at all \u0000\u0001"));
        in.pipeInput(bytes("r3"), (byte[]) null);
        in.pipeInput(bytes("r4"), request("r4", "p", "explode"));
        in.pipeInput(bytes("r5"), request("r5", "p", "x".repeat(21)));
        in.pipeInput(bytes("r6"), request("r6", "\uD83D\uDE00".repeat(20), "ok")); // 20 emoji = 40 chars, 20 code points
        in.pipeInput((byte[]) null, request("r7", "p", "twelve chars"));

        List<KeyValue<String, ScoreResult>> got = out.readKeyValuesToList();
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5", "r6", "r7"), got.stream().map(kv -> kv.key).toList());

        ScoreResult ok = got.get(0).value;
        assertEquals("r1", ok.getRequestId());
        assertEquals(1.7, ok.getReward(), 1e-9);
        assertEquals(7L, ok.getModelVersion());
        assertNull(ok.getError());
        assertEquals("default", ok.getAverage());
        assertEquals(NOW, ok.getScoredAt());

        assertError(got.get(1).value, "r2", "undecodable ScoreRequest");
        assertError(got.get(2).value, "r3", "empty record");
        assertError(got.get(3).value, "r4", "scoring failed: model failed on this input");
        assertError(got.get(4).value, "r5", "response has 21 characters, more than the limit of 20");
        assertEquals(0.2, got.get(5).value.getReward(), 1e-9);
        assertEquals(1.2, got.get(6).value.getReward(), 1e-9);
    }

    @Test
    void transientFailuresPropagateInsteadOfBecomingErrorResults() {
        transientFailures.set(1);
        assertThrows(RuntimeException.class, () -> in.pipeInput(bytes("b1"), request("b1", "p", "busy")));
        assertTrue(out.isEmpty(), "no error result for a transient failure");
        in.pipeInput(bytes("b1"), request("b1", "p", "busy")); // redelivered after the thread restarts
        ScoreResult r = out.readValue();
        assertEquals(0.4, r.getReward(), 1e-9);
    }

    private static void assertError(ScoreResult r, String id, String message) {
        assertEquals(id, r.getRequestId());
        assertNull(r.getReward());
        assertNull(r.getModelVersion());
        assertTrue(r.getError().contains(message), r.getError());
        assertEquals("default", r.getAverage());
    }
}
