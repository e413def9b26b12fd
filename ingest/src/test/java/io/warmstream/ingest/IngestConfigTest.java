package io.warmstream.ingest;

import io.micronaut.context.ApplicationContext;
import io.warmstream.ingest.rules.LabelLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The defaults file and property overrides reach the settings the beans use (no Kafka needed). */
class IngestConfigTest {

    @Test
    void defaultsComeFromTheServicesApplicationYmlAndPropertiesOverrideThem() {
        try (ApplicationContext ctx = SettingsOnly.context(Map.of(
                        "warm.registry.url", "http://registry:8080/apis/ccompat/v7",
                        "warm.registry.apicurio-url", "http://registry:8080/apis/registry/v2",
                        "warm.serde.properties.apicurio.registry.check-period-ms", 60000,
                        "warm.ingest.limits.response-chars", 100,
                        "warm.ingest.producer.linger.ms", 20,
                        "warm.ingest.topology.streams.num.stream.threads", 2))) {
            IngestConfig config = SettingsOnly.config(ctx);

            assertEquals("localhost:9092", config.bootstrapServers());
            assertEquals(Map.of("registry.url", "http://registry:8080/apis/ccompat/v7",
                    "registry.apicurio-url", "http://registry:8080/apis/registry/v2",
                    "serde.flavour", "apicurio",
                    "serde.properties.apicurio.registry.check-period-ms", 60000), config.serdeSettings());
            assertEquals(new LabelLimits(128, 32768, 100, 256, 64, 1024), config.rules().limits());
            assertEquals("warm.preferences.raw", config.httpTopic());
            assertEquals(Duration.ofHours(1), config.dedupWindow());
            assertEquals(Map.of("linger.ms", 20), config.producerOverrides());
            assertEquals(Map.of("num.stream.threads", 2), config.streamsOverrides());
            assertEquals("warm-ingest", config.applicationId());
        }
    }
}
