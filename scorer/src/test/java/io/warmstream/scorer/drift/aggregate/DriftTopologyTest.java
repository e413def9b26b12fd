package io.warmstream.scorer.drift.aggregate;

import io.warmstream.events.DriftObservation;
import io.warmstream.events.DriftReport;
import io.warmstream.platform.PlainAvroSerde;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.DoubleStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftTopologyTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");
    private final PlainAvroSerde<DriftObservation> observations = new PlainAvroSerde<>(DriftObservation.class);
    private final PlainAvroSerde<DriftReport> reports = new PlainAvroSerde<>(DriftReport.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, DriftObservation> in;
    private TestInputTopic<String, byte[]> raw;
    private TestOutputTopic<String, DriftReport> out;

    @BeforeEach
    void start() {
        StreamsBuilder b = new StreamsBuilder();
        DriftTopology.build(b, new DriftTopology.Settings("obs", "drift", observations, reports,
                Duration.ofSeconds(10), Duration.ofSeconds(1), 64));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "drift-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        driver = new TopologyTestDriver(b.build(), p);
        in = driver.createInputTopic("obs", new StringSerializer(), observations.serializer());
        raw = driver.createInputTopic("obs", new StringSerializer(), new ByteArraySerializer());
        out = driver.createOutputTopic("drift", new StringDeserializer(), reports.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static DriftObservation.Builder obs(long version, long atMillis) {
        return DriftObservation.newBuilder().setAverage("a").setModelVersion(version).setObservedAt(T0.plusMillis(atMillis))
                .setRewards(List.of()).setReferenceRewards(List.of());
    }

    private void send(DriftObservation o) {
        in.pipeInput(DriftTopology.key(o.getAverage(), o.getModelVersion()), o, o.getObservedAt());
    }

    private static List<Double> range(int from, int to) {
        List<Double> r = new ArrayList<>();
        for (int i = from; i <= to; i++) r.add((double) i);
        return r;
    }

    private Map<Long, DriftReport> drain() {
        Map<Long, DriftReport> byVersion = new HashMap<>();
        for (KeyValue<String, DriftReport> kv : out.readKeyValuesToList()) {
            assertEquals("a", kv.key, "reports are keyed by average");
            assertTrue(byVersion.put(kv.value.getModelVersion(), kv.value) == null, "one report per version and window");
        }
        return byVersion;
    }

    @Test
    void closedWindowsAreReportedPerVersionWithExactFigures() {
        send(obs(1, 500).setReferenceRewards(range(0, 99)).build());
        send(obs(1, 1_000).setRewards(range(1, 5)).build());
        send(obs(1, 2_000).setRewards(range(6, 10)).setPrequentialCorrect(3).setPrequentialCount(4).build());
        send(obs(2, 4_000).setRewards(List.of(50.0)).setPrequentialCorrect(1).setPrequentialCount(1)
                .setPreviousVersion(1L).setAgreementSame(2).setAgreementCount(3).build());
        raw.pipeInput(DriftTopology.key("a", 1), "not avro".getBytes(StandardCharsets.UTF_8), T0.plusMillis(4_500));
        send(obs(1, 5_000).build());
        send(obs(1, 10_500).setRewards(List.of(100.0)).build());
        assertTrue(out.isEmpty(), "the first window waits for its grace to pass");

        send(obs(1, 11_000).build());
        Map<Long, DriftReport> first = drain();
        assertEquals(2, first.size(), first.toString());

        DriftReport v1 = first.get(1L);
        assertEquals(T0, v1.getWindowStart());
        assertEquals(T0.plusSeconds(10), v1.getWindowEnd());
        assertEquals(10, v1.getScoredCount());
        assertEquals(5.5, v1.getRewardMean(), 1e-12);
        assertEquals(Math.sqrt(8.25), v1.getRewardStd(), 1e-12);
        assertEquals(java.util.Set.of("p05", "p25", "p50", "p75", "p95"), java.util.Set.copyOf(v1.getRewardQuantiles().keySet()));
        assertEquals(1.45, v1.getRewardQuantiles().get("p05"), 1e-12);
        assertEquals(3.25, v1.getRewardQuantiles().get("p25"), 1e-12);
        assertEquals(5.5, v1.getRewardQuantiles().get("p50"), 1e-12);
        assertEquals(7.75, v1.getRewardQuantiles().get("p75"), 1e-12);
        assertEquals(9.55, v1.getRewardQuantiles().get("p95"), 1e-12);
        // Reference 0..99 cut at 9.9, 19.8, ...: 1..9 fall in the first bin, 10 in the second, 8 bins are empty.
        double f = Psi.FLOOR;
        double psi = (0.9 - 0.1) * Math.log(0.9 / 0.1) + 8 * (f - 0.1) * Math.log(f / 0.1);
        assertEquals(psi, v1.getPsi(), 1e-9);
        assertEquals(0.75, v1.getPrequentialAccuracy(), 1e-12);
        assertEquals(4, v1.getPrequentialCount());
        assertNull(v1.getPreviousVersion());
        assertNull(v1.getAgreementWithPrevious());

        DriftReport v2 = first.get(2L);
        assertEquals(1, v2.getScoredCount());
        assertEquals(50.0, v2.getRewardMean(), 1e-12);
        assertEquals(0.0, v2.getRewardStd(), 1e-12);
        assertEquals(50.0, v2.getRewardQuantiles().get("p95"), 1e-12);
        assertNull(v2.getPsi(), "no reference for v2");
        assertEquals(1.0, v2.getPrequentialAccuracy(), 1e-12);
        assertEquals(1L, v2.getPreviousVersion());
        assertEquals(2.0 / 3, v2.getAgreementWithPrevious(), 1e-12);

        // The next window of v1 is separate; a window holding only a tick is not reported.
        send(obs(1, 25_000).build());
        Map<Long, DriftReport> second = drain();
        assertEquals(1, second.size(), second.toString());
        DriftReport next = second.get(1L);
        assertEquals(T0.plusSeconds(10), next.getWindowStart());
        assertEquals(1, next.getScoredCount());
        assertEquals(100.0, next.getRewardMean(), 1e-12);
        assertNull(next.getPrequentialAccuracy());
        assertEquals(0, next.getPrequentialCount());
        assertTrue(next.getPsi() > 1.0, "100 lies above the whole reference: " + next.getPsi());
        send(obs(1, 45_000).build());
        assertTrue(out.isEmpty(), "the tick-only window [20 s, 30 s) is not reported");
    }

    @Test
    void lateObservationsWithinTheGraceCountAndLaterOnesDoNot() {
        send(obs(3, 9_000).setRewards(List.of(1.0)).build());
        send(obs(3, 10_200).build());
        send(obs(3, 9_500).setRewards(List.of(3.0)).build()); // late, within the 1 s grace
        send(obs(3, 11_000).build());
        send(obs(3, 9_900).setRewards(List.of(100.0)).build()); // after the window closed: dropped
        send(obs(3, 30_000).build());
        DriftReport r = drain().get(3L);
        assertEquals(2, r.getScoredCount());
        assertEquals(2.0, r.getRewardMean(), 1e-12);
        assertEquals(DoubleStream.of(1, 3).map(x -> (x - 2) * (x - 2)).sum() / 2, r.getRewardStd() * r.getRewardStd(), 1e-12);
    }
}
