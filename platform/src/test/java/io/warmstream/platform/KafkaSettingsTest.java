package io.warmstream.platform;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaSettingsTest {

    private static final Map<String, Object> PROPS = Map.of(
            "kafka.bootstrap-servers", "broker:9092",
            "kafka.replication-factor", "3",
            "kafka.client.security.protocol", "SASL_SSL",
            "registry.url", "http://registry:8080/apis/ccompat/v7",
            "serde.flavour", "apicurio",
            "ingest.limits.prompt-chars", "10");

    @Test
    void clientSettingsReachEveryClientAndCallerSettingsWin() {
        KafkaSettings s = KafkaSettings.from(PROPS);
        assertEquals("broker:9092", s.bootstrapServers());
        assertEquals(3, s.replicationFactor());
        Map<String, Object> producer = s.producerConfig("p", Map.of(ProducerConfig.LINGER_MS_CONFIG, 5));
        assertEquals("SASL_SSL", producer.get("security.protocol"));
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG));
        assertEquals(5, producer.get(ProducerConfig.LINGER_MS_CONFIG));
        Map<String, Object> consumer = s.consumerConfig("g", "c", Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("g", consumer.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals(false, consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("read_committed", consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        Map<String, Object> streams = s.streamsConfig("app", Map.of());
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(3, streams.get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
    }

    @Test
    void onlyRegistryAndSerdeKeysReachTheSerdes() {
        KafkaSettings s = KafkaSettings.from(PROPS);
        assertEquals(Map.of("registry.url", "http://registry:8080/apis/ccompat/v7", "serde.flavour", "apicurio"),
                s.serdeSettings());
        assertEquals("http://registry:8080/apis/ccompat/v7", s.registryUrl());
        assertFalse(s.producerConfig("p", Map.of()).containsKey("ingest.limits.prompt-chars"));
    }

    @Test
    void prefixedKeysAreAccepted() {
        KafkaSettings s = KafkaSettings.from(Map.of("warm.kafka.bootstrap-servers", "b:1", "warm.registry.url", "http://r"));
        assertEquals("b:1", s.bootstrapServers());
        assertEquals(1, s.replicationFactor());
    }

    @Test
    void missingAddressesAreNamedWithTheirVariables() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaSettings.from(Map.of("registry.url", "http://r")));
        assertTrue(e.getMessage().contains("warm.kafka.bootstrap-servers"), e.getMessage());
        assertTrue(e.getMessage().contains("WARM_KAFKA_BOOTSTRAP_SERVERS"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> KafkaSettings.from(Map.of("kafka.bootstrap-servers", "b:1")));
        assertTrue(e.getMessage().contains("WARM_REGISTRY_URL"), e.getMessage());
    }
}
