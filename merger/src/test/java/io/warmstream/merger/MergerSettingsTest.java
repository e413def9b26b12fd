package io.warmstream.merger;

import io.micronaut.context.ApplicationContext;
import io.warmstream.merger.config.DebugSettings;
import io.warmstream.merger.config.GuardSettings;
import io.warmstream.merger.config.HoldoutSettings;
import io.warmstream.merger.config.MergerLoopSettings;
import io.warmstream.merger.config.MergerSettings;
import io.warmstream.merger.config.QualityGateSettings;
import io.warmstream.merger.config.ReferenceSettings;
import io.warmstream.merger.config.RetentionSettings;
import io.warmstream.merger.scoring.HeldOutCacheSettings;
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

/** The merger's settings are checked at start, naming the key, and its READMEs document every one with its default. */
class MergerSettingsTest {

    static final List<Class<?>> BEANS = List.of(MergerSettings.class, MergerLoopSettings.class, GuardSettings.class,
            HeldOutCacheSettings.class, QualityGateSettings.class, HoldoutSettings.class, ReferenceSettings.class,
            RetentionSettings.class, DebugSettings.class);

    @Test
    void aBadValueStopsTheServiceAtStartNamingItsKey() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "warm.merger.max-poll-records", 0,
                "warm.merger.retention.sweep-interval", "0s",
                "warm.merger.strategy", "median",
                "warm.merger.holdout.fraction", 1.5).entrySet()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> MergerApplication.start(Map.of(
                    "micronaut.security.enabled", false,
                    Holdout.SHARED_SALT, "merger-settings-test",
                    "warm.store.location", "target/merger-settings-test-store",
                    bad.getKey(), bad.getValue())).close());
            assertTrue(e.getMessage().contains(bad.getKey() + " must"), e.getMessage());
        }
    }

    @Test
    void theReadmesDocumentEveryKeyWithTheDefaultTheServiceHas() {
        try (ApplicationContext ctx = ApplicationContext.builder()
                .overrideConfigLocations(MergerApplication.CONFIG_LOCATION)
                .properties(Map.of(MergerConfig.ENABLED, false)).start()) {
            Map<String, BoundSettings.Setting> bound = BoundSettings.of(ctx, BEANS);
            assertEquals("200ms", bound.get("warm.merger.poll-timeout").defaultValue());
            // chosen by the stream experiment's replay (eval/README.md)
            assertEquals("data-size-weighted", bound.get("warm.merger.strategy").defaultValue());
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("README.md"), bound, List.of("warm.merger."), true));
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("../README.md"), bound, List.of("warm.merger."), false));
        }
    }
}
