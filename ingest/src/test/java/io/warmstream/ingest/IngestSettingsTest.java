package io.warmstream.ingest;

import io.micronaut.context.ApplicationContext;
import io.warmstream.ingest.config.HttpSettings;
import io.warmstream.ingest.config.IngestSettings;
import io.warmstream.ingest.config.LabelDefaultsSettings;
import io.warmstream.ingest.config.LimitsSettings;
import io.warmstream.ingest.config.TopologySettings;
import io.warmstream.testkit.config.BoundSettings;
import io.warmstream.testkit.config.SettingsTableCheck;
import io.warmstream.schemas.Holdout;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest's settings are checked at start, naming the key, and its READMEs document every one with its default. */
class IngestSettingsTest {

    static final List<Class<?>> BEANS = List.of(IngestSettings.class, HttpSettings.class, LabelDefaultsSettings.class,
            LimitsSettings.class, TopologySettings.class);

    @Test
    void aBadValueStopsTheServiceAtStartNamingItsKey() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "warm.ingest.limits.max-items", -1,
                "warm.ingest.topology.dedup-window", "0s",
                "warm.ingest.topology.dead-letter-max-bytes", 100).entrySet()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> IngestApplication.start(Map.of(
                    "micronaut.security.enabled", false,
                    Holdout.SHARED_SALT, "ingest-settings-test",
                    bad.getKey(), bad.getValue())).close());
            assertTrue(e.getMessage().contains(bad.getKey() + " must"), e.getMessage());
        }
    }

    @Test
    void theReadmesDocumentEveryKeyWithTheDefaultTheServiceHas() {
        try (ApplicationContext ctx = SettingsOnly.context(Map.of())) {
            Map<String, BoundSettings.Setting> bound = BoundSettings.of(ctx, BEANS);
            assertEquals("10000", bound.get("warm.ingest.limits.max-items").defaultValue());
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("README.md"), bound, List.of("warm.ingest."), true));
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("../README.md"), bound, List.of("warm.ingest."), false));
        }
    }
}
