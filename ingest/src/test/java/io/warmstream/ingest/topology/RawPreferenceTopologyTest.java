package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.Labels;
import io.warmstream.ingest.rules.LabelLimits;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.schemas.Topics;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawPreferenceTopologyTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path stateDir;

    private final WireFormatSerde serde = new WireFormatSerde();
    private final CountingEvents events = new CountingEvents();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, PreferenceLabel> valid;
    private TestOutputTopic<byte[], byte[]> dlq;

    @AfterEach
    void close() {
        if (driver != null) driver.close();
    }

    private void start(RawPreferenceTopology.Settings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        RawPreferenceTopology.build(builder, settings.withEvents(events));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "raw-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        raw = driver.createInputTopic(Topics.PREFERENCES_RAW, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        valid = driver.createOutputTopic(Topics.PREFERENCES, Serdes.String().deserializer(), serde.deserializer());
        dlq = driver.createOutputTopic(Topics.PREFERENCES_DLQ, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    private void start() {
        start(RawPreferenceTopology.Settings.defaults(serde));
    }

    private byte[] bytes(PreferenceLabel label) {
        return serde.serializer().serialize(Topics.PREFERENCES_RAW, label);
    }

    private void send(PreferenceLabel label, Instant at) {
        raw.pipeInput(label.getId().getBytes(StandardCharsets.UTF_8), bytes(label), at);
    }

    private static List<String> keys(TestOutputTopic<String, PreferenceLabel> topic) {
        return topic.readRecordsToList().stream().map(TestRecord::key).toList();
    }

    private static String header(Headers headers, String name) {
        return DeadLetterHeaders.read(headers, name);
    }

    @Test
    void validLabelPassesUnchangedKeyedById() {
        start();
        PreferenceLabel label = Labels.valid("good-1");
        send(label, T0);

        TestRecord<String, PreferenceLabel> out = valid.readRecord();
        assertEquals("good-1", out.key());
        assertEquals(label, out.value());
        assertEquals(T0, out.getRecordTime());
        assertTrue(valid.isEmpty());
        assertTrue(dlq.isEmpty());
        assertEquals(1, events.passed.get());
    }

    @Test
    void poisonBytesGoToDeadLetterWithOriginalBytesAndHeadersAndNeighboursPass() {
        start();
        send(Labels.valid("before"), T0);
        byte[] poisonKey = "poison".getBytes(StandardCharsets.UTF_8);
        byte[] poison = "{\"this is\": \"json, not avro\"}".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput(poisonKey, poison, T0.plusMillis(1));
        send(Labels.valid("after"), T0.plusMillis(2));

        assertEquals(List.of("before", "after"), keys(valid));
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertArrayEquals(poisonKey, dead.key());
        assertArrayEquals(poison, dead.value());
        Headers h = dead.headers();
        assertTrue(header(h, DeadLetterHeaders.REASON).startsWith("undecodable: "), header(h, DeadLetterHeaders.REASON));
        assertEquals("$", header(h, DeadLetterHeaders.FIELD));
        assertEquals(Topics.PREFERENCES_RAW, header(h, DeadLetterHeaders.SOURCE_TOPIC));
        assertEquals("0", header(h, DeadLetterHeaders.SOURCE_PARTITION));
        assertEquals("1", header(h, DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals(SerializationException.class.getName(), header(h, DeadLetterHeaders.ERROR_CLASS));
        assertTrue(dlq.isEmpty());
        assertEquals(1, events.deadLettered.get("undecodable").get());
    }

    @Test
    void truncatedAvroHugeLengthsAndTombstonesAreDeadLettered() {
        start();
        byte[] good = bytes(Labels.valid("x"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        // Valid framing, then a string length of ~1 billion: must fail fast, not allocate.
        byte[] hugeLength = {0, 0, 0, 0, WireFormatSerde.SCHEMA_ID, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
        byte[] unknownSchema = good.clone();
        unknownSchema[4] = 99;
        raw.pipeInput(null, truncated, T0);
        raw.pipeInput(null, hugeLength, T0);
        raw.pipeInput(null, unknownSchema, T0);
        raw.pipeInput("tomb".getBytes(StandardCharsets.UTF_8), null, T0);
        send(Labels.valid("neighbour"), T0);

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertEquals(4, dead.size());
        for (TestRecord<byte[], byte[]> d : dead) {
            assertTrue(header(d.headers(), DeadLetterHeaders.REASON).startsWith("undecodable: "));
        }
        assertArrayEquals(truncated, dead.get(0).value());
        assertArrayEquals(hugeLength, dead.get(1).value());
        assertTrue(header(dead.get(2).headers(), DeadLetterHeaders.REASON).contains("unknown schema id 99"));
        assertEquals("undecodable: the record has no value", header(dead.get(3).headers(), DeadLetterHeaders.REASON));
        assertNull(dead.get(3).value());
        assertEquals("3", header(dead.get(3).headers(), DeadLetterHeaders.SOURCE_OFFSET));
        assertEquals(List.of("neighbour"), keys(valid));
    }

    static Stream<Arguments> invalidLabels() {
        return Stream.of(
                Arguments.of(Labels.builder("p").setPrompt("  \n\t ").build(), "prompt", "blank"),
                Arguments.of(Labels.builder("c").setChosen("").build(), "chosen", "blank"),
                Arguments.of(Labels.builder("r").setRejected(" ").build(), "rejected", "blank"),
                Arguments.of(Labels.builder("s").setChosen("same answer").setRejected("  same answer\n").build(), "rejected", "same_as_chosen"),
                Arguments.of(Labels.builder("conf-hi").setConfidence(1.5).build(), "confidence", "out_of_range"),
                Arguments.of(Labels.builder("conf-lo").setConfidence(-0.01).build(), "confidence", "out_of_range"),
                Arguments.of(Labels.builder("conf-nan").setConfidence(Double.NaN).build(), "confidence", "out_of_range"),
                Arguments.of(Labels.builder("has space").build(), "id", "malformed"),
                Arguments.of(Labels.builder("").build(), "id", "malformed"),
                Arguments.of(Labels.builder("i".repeat(129)).build(), "id", "too_long"),
                Arguments.of(Labels.builder("long-prompt").setPrompt("p".repeat(101)).build(), "prompt", "too_long"),
                Arguments.of(Labels.builder("long-chosen").setChosen("c".repeat(201)).build(), "chosen", "too_long"),
                Arguments.of(Labels.builder("lab").setLabeller("").build(), "labeller", "blank"),
                Arguments.of(Labels.builder("src").setSource(" ").build(), "source", "blank"),
                Arguments.of(Labels.builder("meta").setMetadata(Map.of("a", "1", "b", "2", "c", "3")).build(), "metadata", "too_many_entries"),
                Arguments.of(Labels.builder("meta-long").setMetadata(Map.of("k", "v".repeat(11))).build(), "metadata.k", "too_long"));
    }

    @ParameterizedTest(name = "{1} {2}")
    @MethodSource("invalidLabels")
    void eachRuleViolationIsDeadLetteredWithFieldAndReason(PreferenceLabel bad, String field, String reason) {
        LabelRules small = new LabelRules(new LabelLimits(128, 100, 200, 50, 2, 10));
        start(RawPreferenceTopology.Settings.defaults(serde).withRules(small));
        send(Labels.valid("left"), T0);
        byte[] badBytes = bytes(bad);
        raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), badBytes, T0);
        send(Labels.valid("right"), T0);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertArrayEquals(badBytes, dead.value());
        assertEquals(field, header(dead.headers(), DeadLetterHeaders.FIELD));
        String reasonHeader = header(dead.headers(), DeadLetterHeaders.REASON);
        assertEquals(reason, reasonHeader.substring(0, reasonHeader.indexOf(':')), reasonHeader);
        assertEquals("1", header(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET));
        assertNull(dead.headers().lastHeader(DeadLetterHeaders.ERROR_CLASS));
        assertTrue(dlq.isEmpty());
        assertEquals(List.of("left", "right"), keys(valid));
    }

    @Test
    void dlqReasonCarriesTheHumanReadableDetail() {
        start();
        raw.pipeInput(null, bytes(Labels.builder("x").setPrompt("").build()), T0);
        assertEquals("blank: prompt must not be blank", header(dlq.readRecord().headers(), DeadLetterHeaders.REASON));
    }

    @Test
    void duplicateIdsWithinTheWindowAreDroppedAndCountedNotDeadLettered() {
        start(RawPreferenceTopology.Settings.defaults(serde).withDedupWindow(Duration.ofMinutes(10)));
        send(Labels.valid("a"), T0);
        send(Labels.valid("b"), T0.plusSeconds(1));
        send(Labels.builder("a").setPrompt("a retry with other text is still the same id").build(), T0.plusSeconds(60));
        send(Labels.valid("c"), T0.plusSeconds(61));
        send(Labels.valid("a"), T0.minusSeconds(30)); // out of order, still within the window

        assertEquals(List.of("a", "b", "c"), keys(valid));
        assertTrue(dlq.isEmpty());
        assertEquals(2, events.duplicates.get());
        assertEquals(3, events.passed.get());
    }

    @Test
    void sameIdAfterTheWindowPassesAgain() {
        start(RawPreferenceTopology.Settings.defaults(serde).withDedupWindow(Duration.ofMinutes(10)));
        send(Labels.valid("a"), T0);
        send(Labels.valid("a"), T0.plus(Duration.ofMinutes(10)));              // exactly at the edge: duplicate
        send(Labels.valid("a"), T0.plus(Duration.ofMinutes(10)).plusMillis(1)); // beyond: passes
        assertEquals(List.of("a", "a"), keys(valid));
        assertEquals(1, events.duplicates.get());
    }

    @Test
    void recordsNotKeyedByIdAreRekeyedAndStillDeduplicated() {
        start();
        PreferenceLabel label = Labels.valid("id-42");
        raw.pipeInput(null, bytes(label), T0);                                          // no key
        raw.pipeInput("wrong".getBytes(StandardCharsets.UTF_8), bytes(label), T0);      // wrong key: duplicate
        send(label, T0.plusSeconds(1));                                                  // right key: duplicate
        raw.pipeInput(null, bytes(Labels.valid("id-43")), T0.plusSeconds(2));

        List<TestRecord<String, PreferenceLabel>> out = valid.readRecordsToList();
        assertEquals(List.of("id-42", "id-43"), out.stream().map(TestRecord::key).toList());
        assertEquals(label, out.get(0).value());
        assertEquals(2, events.duplicates.get());
    }

    @Test
    void topologyHasOneRepartitionTopicOnlyForMiskeyedRecordsAndOneStore() {
        StreamsBuilder builder = new StreamsBuilder();
        RawPreferenceTopology.build(builder, RawPreferenceTopology.Settings.defaults(serde));
        TopologyDescription description = builder.build().describe();
        Set<String> sinks = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        description.subtopologies().forEach(st -> st.nodes().forEach(n -> {
            if (n instanceof TopologyDescription.Sink s) sinks.add(s.topic());
            if (n instanceof TopologyDescription.Processor p) stores.addAll(p.stores());
        }));
        assertEquals(Set.of(Topics.PREFERENCES, Topics.PREFERENCES_DLQ, RawPreferenceTopology.REKEY + "-repartition"), sinks);
        assertEquals(Set.of(RawPreferenceTopology.DEDUP_STORE), stores);
    }

    @Test
    void unreachableRegistryFailsTheTaskInsteadOfDeadLetteringGoodBytes() {
        Deserializer<PreferenceLabel> down = (topic, data) -> {
            throw new SerializationException("cannot fetch schema", new ConnectException("Connection refused"));
        };
        Serializer<PreferenceLabel> ser = serde.serializer();
        Serde<PreferenceLabel> registryDown = Serdes.serdeFrom(ser, down);
        start(RawPreferenceTopology.Settings.defaults(registryDown));
        assertThrows(RuntimeException.class, () -> send(Labels.valid("fine"), T0));
        assertTrue(dlq.isEmpty());
        assertTrue(valid.isEmpty());
    }

    /**
     * A raw record just under the broker's 1 MiB limit grows past it with the dead-letter headers; sent as is, the
     * broker refuses it and the stream thread retries it for ever. It is dead-lettered cut to fit, saying so.
     */
    @Test
    void aRawRecordNearTheSizeLimitIsDeadLetteredTruncatedWithTheReason() {
        start();
        byte[] huge = new byte[1_040_000];
        java.util.Arrays.fill(huge, (byte) 'x'); // not the registry's wire format: undecodable
        byte[] key = "big-one".getBytes(StandardCharsets.UTF_8);
        raw.pipeInput(key, huge, T0);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        long size = dead.key().length + dead.value().length;
        for (org.apache.kafka.common.header.Header h : dead.headers()) {
            size += h.key().length() + h.value().length;
        }
        // The limit (1,000,000) includes room for the record's framing and is itself 48 KiB under the broker's 1 MiB.
        assertTrue(size <= RawPreferenceTopology.Settings.DEFAULT_DEAD_LETTER_MAX_BYTES - DeadLetterFit.RECORD_OVERHEAD,
                "the dead letter fits: " + size);
        assertArrayEquals(key, dead.key());
        assertTrue(dead.value().length > 900_000, "most of the value is kept: " + dead.value().length);
        assertArrayEquals(java.util.Arrays.copyOf(huge, dead.value().length), dead.value(), "a prefix of the original");
        assertEquals("key 7->7 bytes, value 1040000->" + dead.value().length + " bytes",
                DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.TRUNCATED));
        String reason = DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.REASON);
        assertTrue(reason.startsWith("undecodable: ") && reason.contains("dead letter truncated to fit 1000000 bytes"),
                reason);
        assertEquals("0", DeadLetterHeaders.read(dead.headers(), DeadLetterHeaders.SOURCE_OFFSET));
    }

    /** Counts topology outcomes. */
    static final class CountingEvents implements TopologyEvents {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final Map<String, AtomicInteger> deadLettered = new HashMap<>();

        @Override
        public void passed() {
            passed.incrementAndGet();
        }

        @Override
        public void duplicateDropped() {
            duplicates.incrementAndGet();
        }

        @Override
        public synchronized void deadLettered(String reason) {
            deadLettered.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }
    }
}
