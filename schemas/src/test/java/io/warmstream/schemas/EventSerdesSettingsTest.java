package io.warmstream.schemas;

import io.warmstream.events.PreferenceLabel;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How settings become serde classes and properties; no registry needed. */
class EventSerdesSettingsTest {

    @Test
    void apicurioFlavourIsTheDefaultAndWritesConfluentFraming() {
        EventSerdes serdes = new EventSerdes(Map.of("registry.url", "http://127.0.0.1:8080/apis/ccompat/v7/"));
        assertEquals("apicurio", serdes.flavour());
        assertEquals("io.apicurio.registry.serde.avro.AvroKafkaSerializer", serdes.serializerClassName());
        assertEquals("io.apicurio.registry.serde.avro.AvroKafkaDeserializer", serdes.deserializerClassName());
        Map<String, Object> c = serdes.serdeConfigs();
        assertEquals("http://127.0.0.1:8080/apis/registry/v2", c.get("apicurio.registry.url"));
        assertEquals("true", c.get("apicurio.registry.as-confluent"));
        assertEquals("false", c.get("apicurio.registry.headers.enabled"));
        assertEquals("contentId", c.get("apicurio.registry.use-id"));
        assertEquals("true", c.get("apicurio.registry.auto-register"));
        assertEquals("true", c.get("apicurio.registry.use-specific-avro-reader"));
    }

    @Test
    void explicitApicurioUrlAndWarmPrefixedKeysAndPassThroughProperties() {
        EventSerdes serdes = new EventSerdes(Map.of(
                "warm.registry.url", "http://registry:8080/somewhere-else",
                "warm.registry.apicurio-url", "http://registry:8080/apis/registry/v2",
                "serde.properties.apicurio.registry.auto-register", "false",
                "serde.properties.apicurio.registry.check-period-ms", 1000));
        assertEquals("http://registry:8080/apis/registry/v2", serdes.serdeConfigs().get("apicurio.registry.url"));
        assertEquals("false", serdes.serdeConfigs().get("apicurio.registry.auto-register"), "pass-through wins");
        assertEquals("1000", serdes.serdeConfigs().get("apicurio.registry.check-period-ms"));
    }

    @Test
    void apicurioUrlThatCannotBeDerivedIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventSerdes(Map.of("registry.url", "http://schema-registry:8081")));
        assertTrue(e.getMessage().contains("registry.apicurio-url"), e.getMessage());
    }

    @Test
    void confluentFlavourUsesConfluentPropertiesAndNamesTheMissingJar() {
        EventSerdes serdes = new EventSerdes(Map.of("registry.url", "http://schema-registry:8081", "serde.flavour", "Confluent"));
        assertEquals("http://schema-registry:8081", serdes.serdeConfigs().get("schema.registry.url"));
        assertEquals("true", serdes.serdeConfigs().get("specific.avro.reader"));
        assertFalse(serdes.serdeConfigs().containsKey("apicurio.registry.url"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> serdes.valueSerializer(PreferenceLabel.class));
        assertTrue(e.getMessage().contains("io.confluent:kafka-avro-serializer"), e.getMessage());
        assertTrue(e.getMessage().contains("io.confluent.kafka.serializers.KafkaAvroSerializer"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> serdes.valueDeserializer(PreferenceLabel.class));
    }

    @Test
    void registryCredentialsGoToEachFlavoursOwnKeys() {
        EventSerdes apicurioBasic = new EventSerdes(Map.of("registry.url", "http://r:8080/apis/ccompat/v7",
                "warm.registry.basic-auth-user-info", "warm:pa:ss"));
        assertEquals("warm", apicurioBasic.serdeConfigs().get("apicurio.auth.username"));
        assertEquals("pa:ss", apicurioBasic.serdeConfigs().get("apicurio.auth.password"), "only the first ':' splits");
        assertEquals("Basic d2FybTpwYTpzcw==", apicurioBasic.registryAuthorization());

        EventSerdes apicurioBearer = new EventSerdes(Map.of("registry.url", "http://r:8080/apis/ccompat/v7",
                "registry.bearer-token", "tok-123"));
        assertEquals("Bearer tok-123", apicurioBearer.serdeConfigs().get("apicurio.rest.request.headers.Authorization"));
        assertFalse(apicurioBearer.serdeConfigs().containsKey("apicurio.auth.username"));
        assertEquals("Bearer tok-123", apicurioBearer.registryAuthorization());

        EventSerdes confluentBasic = new EventSerdes(Map.of("registry.url", "http://sr:8081", "serde.flavour", "confluent",
                "registry.basic-auth-user-info", "warm:secret"));
        assertEquals("USER_INFO", confluentBasic.serdeConfigs().get("basic.auth.credentials.source"));
        assertEquals("warm:secret", confluentBasic.serdeConfigs().get("basic.auth.user.info"));
        EventSerdes confluentBearer = new EventSerdes(Map.of("registry.url", "http://sr:8081", "serde.flavour", "confluent",
                "registry.bearer-token", "tok"));
        assertEquals("STATIC_TOKEN", confluentBearer.serdeConfigs().get("bearer.auth.credentials.source"));
        assertEquals("tok", confluentBearer.serdeConfigs().get("bearer.auth.token"));

        assertEquals(null, new EventSerdes(Map.of("registry.url", "http://r/apis/ccompat/v7")).registryAuthorization());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> new EventSerdes(Map.of(
                "registry.url", "http://r/apis/ccompat/v7", "registry.basic-auth-user-info", "a:b", "registry.bearer-token", "t")));
        assertTrue(both.getMessage().contains("registry.basic-auth-user-info") && both.getMessage().contains("not both"), both.getMessage());
        IllegalArgumentException noColon = assertThrows(IllegalArgumentException.class, () -> new EventSerdes(Map.of(
                "registry.url", "http://r/apis/ccompat/v7", "registry.basic-auth-user-info", "just-a-user")));
        assertTrue(noColon.getMessage().contains("user:password"), noColon.getMessage());
    }

    @Test
    void wrongOrMissingSettingsNameTheSetting() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new EventSerdes(Map.of()));
        assertTrue(missing.getMessage().startsWith("registry.url"), missing.getMessage());
        IllegalArgumentException flavour = assertThrows(IllegalArgumentException.class,
                () -> new EventSerdes(Map.of("registry.url", "http://x/apis/ccompat/v7", "serde.flavour", "protobuf")));
        assertTrue(flavour.getMessage().contains("serde.flavour"), flavour.getMessage());
        IllegalArgumentException notASerializer = assertThrows(IllegalArgumentException.class,
                () -> new EventSerdes(Map.of("registry.url", "http://x/apis/ccompat/v7", "serde.serializer", "java.lang.String"))
                        .valueSerializer(PreferenceLabel.class));
        assertTrue(notASerializer.getMessage().contains("java.lang.String"), notASerializer.getMessage());
    }

    @Test
    void overriddenClassesAreInstantiatedAndConfiguredOnceAsValueSerdes() {
        RecordingSerde.configured = 0;
        EventSerdes serdes = new EventSerdes(Map.of(
                "registry.url", "http://x/apis/ccompat/v7",
                "serde.serializer", RecordingSerde.class.getName(),
                "serde.deserializer", RecordingSerde.class.getName(),
                "serde.properties.marker", "m1"));
        Serializer<PreferenceLabel> ser = serdes.valueSerializer(PreferenceLabel.class);
        ser.configure(Map.of("marker", "ignored"), true);
        assertArrayEquals("m1/false".getBytes(), ser.serialize("t", null));
        Deserializer<PreferenceLabel> de = serdes.valueDeserializer(PreferenceLabel.class);
        assertEquals(null, de.deserialize("t", null));
        assertEquals(2, RecordingSerde.configured, "configure() called once per instance, by EventSerdes");
    }

    /** Records how it was configured; serializes anything to "marker/isKey". */
    public static final class RecordingSerde implements Serializer<Object>, Deserializer<Object> {
        static int configured;
        private String marker;
        private boolean isKey;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            configured++;
            this.marker = String.valueOf(configs.get("marker"));
            this.isKey = isKey;
        }

        @Override
        public byte[] serialize(String topic, Object data) {
            return (marker + "/" + isKey).getBytes();
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            return data;
        }

        @Override
        public void close() {
        }
    }
}
