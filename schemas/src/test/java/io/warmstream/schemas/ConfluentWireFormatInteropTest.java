package io.warmstream.schemas;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Confluent-ecosystem consumer sees: raw bytes on the topic, the schema id resolved through the
 * registry's Confluent REST API, decoded with nothing but Apache Avro.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class ConfluentWireFormatInteropTest {

    private static final String TOPIC = Topics.PREFERENCES;

    @BeforeAll
    static void topics(EmbeddedKafka kafka) throws Exception {
        // Plain admin calls: schemas sits below platform's TopicProvisioner. Another test may have created it already.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                TopicSpec spec = Topics.spec(TOPIC);
                admin.createTopics(List.of(new NewTopic(TOPIC, spec.partitions(), (short) 1).configs(spec.configs())))
                        .all().get();
            }
        }
    }

    @Test
    void rawBytesAreConfluentWireFormatDecodableWithPlainAvro(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        EventSerdes serdes = EventSerdes.forRegistry(registry.ccompatUrl());
        String id = UUID.randomUUID().toString();
        Instant created = Instant.ofEpochMilli(1_700_000_000_123L);
        PreferenceLabel label = PreferenceLabel.newBuilder()
                .setId(id).setPrompt("Summarise: the cat sat.").setChosen("A cat sat.").setRejected("Dogs ran.")
                .setLabeller("ai-labeller-7").setSource("tldr").setConfidence(0.75).setCreatedAt(created)
                .setMetadata(Map.of("batch", "42")).build();

        try (KafkaProducer<String, PreferenceLabel> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), serdes.valueSerializer(PreferenceLabel.class))) {
            producer.send(new ProducerRecord<>(TOPIC, id, label)).get();
        }

        byte[] bytes = readValue(kafka, id);
        assertEquals(0, bytes[0], "magic byte");
        int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();

        RegistryHttp.Answer byId = RegistryHttp.get(registry.ccompatUrl() + "/schemas/ids/" + schemaId);
        assertEquals(200, byId.status(), byId.body().toString());
        Schema writer = new Schema.Parser().parse(byId.body().get("schema").asText());
        assertEquals("io.warmstream.events.PreferenceLabel", writer.getFullName());

        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals(id, decoded.get("id").toString());
        assertEquals("Summarise: the cat sat.", decoded.get("prompt").toString());
        assertEquals("A cat sat.", decoded.get("chosen").toString());
        assertEquals("Dogs ran.", decoded.get("rejected").toString());
        assertEquals("ai-labeller-7", decoded.get("labeller").toString());
        assertEquals("tldr", decoded.get("source").toString());
        assertEquals(0.75, (Double) decoded.get("confidence"), 0.0);
        assertEquals(1_700_000_000_123L, decoded.get("createdAt"));
        Map<?, ?> metadata = (Map<?, ?>) decoded.get("metadata");
        assertEquals("42", metadata.entrySet().stream()
                .filter(e -> e.getKey().toString().equals("batch")).findFirst().orElseThrow().getValue().toString());

        // Subject naming is <topic>-value, and that subject's latest version is the id in the bytes.
        RegistryHttp.Answer latest = RegistryHttp.get(registry.ccompatUrl() + "/subjects/" + TOPIC + "-value/versions/latest");
        assertEquals(200, latest.status(), latest.body().toString());
        assertEquals(schemaId, latest.body().get("id").asInt());

        // And our own deserializer gets the same label back.
        try (Deserializer<PreferenceLabel> de = serdes.valueDeserializer(PreferenceLabel.class)) {
            assertEquals(label, de.deserialize(TOPIC, bytes));
        }
    }

    @Test
    void schemaRegisteredUpFrontIsTheOneTheSerializerUses(EmbeddedRegistry registry) throws Exception {
        Map<String, Integer> ids = SchemaRegistration.registerAll(registry.ccompatUrl(), List.of(Topics.spec(Topics.SCORES)));
        int registered = ids.get(Topics.SCORES + "-value");
        var result = io.warmstream.events.ScoreResult.newBuilder()
                .setRequestId("r1").setReward(1.5).setModelVersion(3L).setScoredAt(Instant.ofEpochMilli(5)).build();
        try (var ser = EventSerdes.forRegistry(registry.ccompatUrl()).valueSerializer(io.warmstream.events.ScoreResult.class)) {
            byte[] bytes = ser.serialize(Topics.SCORES, result);
            assertEquals(registered, ByteBuffer.wrap(bytes, 1, 4).getInt(), "serializer reuses the pre-registered schema");
        }
    }

    @Test
    void idCacheWritesExactlyWhatApicurioWrites(EmbeddedRegistry registry) {
        EventSerdes cached = EventSerdes.forRegistry(registry.ccompatUrl());
        EventSerdes uncached = new EventSerdes(Map.of(EventSerdes.REGISTRY_URL, registry.ccompatUrl(), EventSerdes.ID_CACHE, "false"));
        try (var fast = cached.valueSerializer(PreferenceLabel.class); var apicurio = uncached.valueSerializer(PreferenceLabel.class)) {
            assertEquals("SchemaIdCachingSerializer", fast.getClass().getSimpleName());
            for (int i = 0; i < 20; i++) {
                PreferenceLabel label = PreferenceLabel.newBuilder()
                        .setId("same-" + i).setPrompt("prompt ü " + i).setChosen("c" + i).setRejected("r" + i)
                        .setLabeller("l").setSource("s").setConfidence(i % 2 == 0 ? null : i / 20.0)
                        .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L + i))
                        .setMetadata(i % 3 == 0 ? null : Map.of("k", "v" + i)).build();
                assertArrayEquals(apicurio.serialize(TOPIC, label), fast.serialize(TOPIC, label), "label " + i);
            }
        }
    }

    @Test
    void undecodableBytesFailAsSerializationException(EmbeddedRegistry registry) {
        try (Deserializer<PreferenceLabel> de = EventSerdes.forRegistry(registry.ccompatUrl()).valueDeserializer(PreferenceLabel.class)) {
            assertThrows(SerializationException.class, () -> de.deserialize(TOPIC, new byte[] {1, 2, 3}));
            assertThrows(SerializationException.class, () -> de.deserialize(TOPIC, new byte[] {0, 0, 0x7f, 0x7f, 0x7f, 1, 2}));
            assertThrows(SerializationException.class, () -> de.deserialize(TOPIC, "{\"id\":\"x\"}".getBytes()));
            assertEquals(null, de.deserialize(TOPIC, null), "tombstones stay null");
        }
    }

    private static byte[] readValue(EmbeddedKafka kafka, String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "interop-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        assertNotNull(r.value());
                        assertTrue(r.value().length > 5);
                        return r.value();
                    }
                }
            }
        }
        throw new AssertionError("record " + key + " not found on " + TOPIC);
    }
}
