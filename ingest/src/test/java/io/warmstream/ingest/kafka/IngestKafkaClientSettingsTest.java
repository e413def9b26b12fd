package io.warmstream.ingest.kafka;

import io.micronaut.context.ApplicationContext;
import io.warmstream.ingest.SettingsOnly;
import io.warmstream.ingest.IngestConfig;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code warm.kafka.client.*} (SASL, TLS, any client key) reaches every Kafka client ingest builds: its producer, its
 * Streams application and its admin client, as it does in the other services. No broker is needed: the configs are
 * the ones the beans hand to the clients, and a real admin client shows it reads them.
 */
class IngestKafkaClientSettingsTest {

    private static IngestConfig config(ApplicationContext ctx) {
        return SettingsOnly.config(ctx);
    }

    private static ApplicationContext context(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "micronaut.security.enabled", false,
                "warm.holdout.salt", "ingest-client-settings-test",
                "warm.kafka.bootstrap-servers", "broker-a:9093",
                "warm.registry.url", "http://registry:8080/apis/ccompat/v7",
                "warm.kafka.client.metadata.max.age.ms", 12345,
                "warm.kafka.client.client.dns.lookup", "resolve_canonical_bootstrap_servers_only"));
        props.putAll(extra);
        return SettingsOnly.context(props);
    }

    @Test
    void producerStreamsAndAdminGetTheSharedClientSettingsAndKeepTheirOwn() {
        try (ApplicationContext ctx = context(Map.of("warm.ingest.producer.linger.ms", 20))) {
            IngestConfig config = config(ctx);

            Map<String, Object> producer = LabelProducer.producerConfigs(config);
            Map<String, Object> streams = ValidationStreams.streamsConfig(config);
            Map<String, Object> admin = TopicSetup.adminConfig(config);

            for (Map<String, ?> c : java.util.List.<Map<String, ?>>of(producer, streams, admin)) {
                assertEquals("broker-a:9093", c.get("bootstrap.servers"));
                assertEquals(12345, c.get("metadata.max.age.ms"));
                assertEquals("resolve_canonical_bootstrap_servers_only", c.get("client.dns.lookup"));
            }
            // Each client's own settings stay as they were.
            assertEquals("all", producer.get("acks"));
            assertEquals(true, producer.get("enable.idempotence"));
            assertEquals(256 * 1024, producer.get("batch.size"));
            assertEquals(20, producer.get("linger.ms")); // warm.ingest.producer.* wins over everything
            assertEquals("warm-ingest", streams.get("application.id"));
            assertEquals("exactly_once_v2", streams.get("processing.guarantee"));
            assertEquals(1_000, streams.get("commit.interval.ms"));
            assertEquals(256 * 1024, streams.get("producer.batch.size"));
            assertEquals(1, streams.get("replication.factor"));
            assertEquals("warm-ingest-admin", admin.get("client.id"));
            assertEquals(15_000, admin.get("request.timeout.ms"));
        }
    }

    @Test
    void theAdminClientIngestCreatesUsesTheSecurityProtocolOfWarmKafkaClient() {
        // SASL without a JAAS login: a client that really reads the setting refuses to start, and says why.
        // A bootstrap address that resolves (nothing need listen there): the client checks addresses before security.
        try (ApplicationContext ctx = context(Map.of("warm.kafka.bootstrap-servers", "127.0.0.1:9",
                "warm.kafka.client.security.protocol", "SASL_PLAINTEXT",
                "warm.kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "warm.ingest.provision-topics", false))) {
            IngestConfig config = config(ctx);
            assertEquals("SASL_PLAINTEXT", ValidationStreams.streamsConfig(config).get("security.protocol"));
            assertEquals("SCRAM-SHA-512", LabelProducer.producerConfigs(config).get("sasl.mechanism"));

            KafkaException refused = assertThrows(KafkaException.class, () -> new TopicSetup(config).close());
            StringBuilder why = new StringBuilder();
            for (Throwable t = refused; t != null; t = t.getCause()) {
                why.append(t).append(" / ");
            }
            assertTrue(why.toString().contains("JAAS"), why.toString());
        }
    }
}
