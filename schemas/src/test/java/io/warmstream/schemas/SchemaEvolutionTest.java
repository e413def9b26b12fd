package io.warmstream.schemas;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.events.PreferenceLabel;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BACKWARD compatibility as the registry enforces it, and old records read with new schemas. */
@ExtendWith(EmbeddedInfraExtension.class)
class SchemaEvolutionTest {

    private static final String V1 = """
            {"type": "record", "name": "Label", "namespace": "test.evolution", "fields": [
              {"name": "id", "type": "string"},
              {"name": "score", "type": "double"}
            ]}""";
    private static final String V2_OPTIONAL_FIELD = """
            {"type": "record", "name": "Label", "namespace": "test.evolution", "fields": [
              {"name": "id", "type": "string"},
              {"name": "score", "type": "double"},
              {"name": "language", "type": ["null", "string"], "default": null},
              {"name": "weight", "type": "double", "default": 1.0}
            ]}""";
    private static final String V3_REQUIRED_FIELD = """
            {"type": "record", "name": "Label", "namespace": "test.evolution", "fields": [
              {"name": "id", "type": "string"},
              {"name": "score", "type": "double"},
              {"name": "language", "type": ["null", "string"], "default": null},
              {"name": "weight", "type": "double", "default": 1.0},
              {"name": "priority", "type": "int"}
            ]}""";
    private static final String V3_TYPE_CHANGE = """
            {"type": "record", "name": "Label", "namespace": "test.evolution", "fields": [
              {"name": "id", "type": "string"},
              {"name": "score", "type": "string"},
              {"name": "language", "type": ["null", "string"], "default": null},
              {"name": "weight", "type": "double", "default": 1.0}
            ]}""";

    @Test
    void backwardCompatibleChangeRegistersAndIncompatibleOnesAreRefused(EmbeddedRegistry registry) throws Exception {
        String subject = "evolution-" + UUID.randomUUID() + "-value";
        String ccompat = registry.ccompatUrl();
        int v1 = SchemaRegistration.register(ccompat, subject, parse(V1));
        SchemaRegistration.setCompatibility(ccompat, subject, "BACKWARD");
        assertEquals("BACKWARD", RegistryHttp.get(ccompat + "/config/" + subject).body().path("compatibilityLevel").asText());

        int v2 = SchemaRegistration.register(ccompat, subject, parse(V2_OPTIONAL_FIELD));
        assertTrue(v2 != v1, "a new schema gets a new id");

        for (String incompatible : new String[] {V3_REQUIRED_FIELD, V3_TYPE_CHANGE}) {
            RegistryHttp.Answer check = RegistryHttp.post(ccompat + "/compatibility/subjects/" + subject + "/versions/latest",
                    Map.of("schema", incompatible));
            assertEquals(200, check.status(), check.body().toString());
            assertEquals(false, check.body().path("is_compatible").asBoolean(true), check.body().toString());

            RegistryHttp.Answer refused = RegistryHttp.post(ccompat + "/subjects/" + subject + "/versions", Map.of("schema", incompatible));
            assertEquals(409, refused.status(), refused.body().toString());
            SchemaRegistration.IncompatibleSchemaException e = assertThrows(SchemaRegistration.IncompatibleSchemaException.class,
                    () -> SchemaRegistration.register(ccompat, subject, parse(incompatible)));
            assertEquals(subject, e.subject());
        }
        RegistryHttp.Answer versions = RegistryHttp.get(ccompat + "/subjects/" + subject + "/versions");
        assertEquals(2, versions.body().size(), "refused schemas left no version behind: " + versions.body());
    }

    @Test
    void recordWrittenWithTheOldSchemaReadsWithTheNewOne(EmbeddedRegistry registry) throws Exception {
        String subject = "evolution-" + UUID.randomUUID() + "-value";
        int oldId = SchemaRegistration.register(registry.ccompatUrl(), subject, parse(V1));
        SchemaRegistration.setCompatibility(registry.ccompatUrl(), subject, "BACKWARD");
        SchemaRegistration.register(registry.ccompatUrl(), subject, parse(V2_OPTIONAL_FIELD));

        GenericRecord old = new GenericData.Record(parse(V1));
        old.put("id", "label-1");
        old.put("score", 0.5);
        byte[] bytes = wireFormat(oldId, old);

        // A consumer on the new schema resolves the writer's schema by the id in the bytes.
        int writerId = ByteBuffer.wrap(bytes, 1, 4).getInt();
        Schema writer = parse(RegistryHttp.get(registry.ccompatUrl() + "/schemas/ids/" + writerId).body().get("schema").asText());
        GenericRecord read = new GenericDatumReader<GenericRecord>(writer, parse(V2_OPTIONAL_FIELD))
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        assertEquals("label-1", read.get("id").toString());
        assertEquals(0.5, (Double) read.get("score"), 0.0);
        assertNull(read.get("language"));
        assertEquals(1.0, (Double) read.get("weight"), 0.0);
    }

    /** An older producer's PreferenceLabel (without confidence and metadata) read by today's deserializer. */
    @Test
    void olderPreferenceLabelReadsIntoTheCurrentClassWithDefaults(EmbeddedRegistry registry) throws Exception {
        Schema current = PreferenceLabel.getClassSchema();
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream()
                        .filter(f -> !f.name().equals("confidence") && !f.name().equals("metadata"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        String topic = "evolution.preferences." + UUID.randomUUID();
        int olderId = SchemaRegistration.register(registry.ccompatUrl(), topic + "-value", older);
        SchemaRegistration.setCompatibility(registry.ccompatUrl(), topic + "-value", "BACKWARD");
        SchemaRegistration.register(registry.ccompatUrl(), topic + "-value", current);

        GenericRecord record = new GenericData.Record(older);
        record.put("id", "old-1");
        record.put("prompt", "p");
        record.put("chosen", "c");
        record.put("rejected", "r");
        record.put("labeller", "l");
        record.put("source", "s");
        record.put("createdAt", 1234L);

        try (Deserializer<PreferenceLabel> de = EventSerdes.forRegistry(registry.ccompatUrl()).valueDeserializer(PreferenceLabel.class)) {
            PreferenceLabel label = de.deserialize(topic, wireFormat(olderId, record));
            assertEquals("old-1", label.getId());
            assertEquals("c", label.getChosen());
            assertEquals(1234L, label.getCreatedAt().toEpochMilli());
            assertNull(label.getConfidence());
            assertNull(label.getMetadata());
        }
    }

    static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    static byte[] wireFormat(int schemaId, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
