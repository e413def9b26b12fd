package io.warmstream.trainer;

import io.micronaut.context.ApplicationContext;
import io.warmstream.testkit.config.BoundSettings;
import io.warmstream.testkit.config.SettingsTableCheck;
import io.warmstream.schemas.Holdout;
import io.warmstream.trainer.config.CapacityProperties;
import io.warmstream.trainer.config.GenerationsProperties;
import io.warmstream.trainer.config.GridProperties;
import io.warmstream.trainer.config.HyperparameterProperties;
import io.warmstream.trainer.config.PlannerProperties;
import io.warmstream.trainer.config.TopicProperties;
import io.warmstream.trainer.config.TrainerProperties;
import io.warmstream.trainer.config.WorkerFeatureCacheProperties;
import io.warmstream.trainer.config.WorkerProperties;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's settings are checked at start, naming the key, and its READMEs document every one with its default. */
class TrainerSettingsTest {

    static final List<Class<?>> BEANS = List.of(TrainerProperties.class, TopicProperties.class, PlannerProperties.class,
            GenerationsProperties.class, CapacityProperties.class, GridProperties.class, HyperparameterProperties.class,
            WorkerProperties.class, WorkerFeatureCacheProperties.class);

    @Test
    void aBadValueStopsTheServiceAtStartNamingItsKey() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "warm.trainer.planner.labels-per-job", -5,
                "warm.trainer.planner.capacity.worker-ttl", "0s",
                "warm.trainer.planner.grid.dropouts", "0.1,lots",
                "warm.trainer.worker.feature-cache.memory-bytes", "much").entrySet()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> TrainerApplication.start(Map.of(
                    "micronaut.security.enabled", false,
                    Holdout.SHARED_SALT, "trainer-settings-test",
                    "warm.store.location", "target/trainer-settings-test-store",
                    bad.getKey(), bad.getValue())).close());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    @Test
    void theReadmesDocumentEveryKeyWithTheDefaultTheServiceHas() {
        try (ApplicationContext ctx = ApplicationContext.builder()
                .overrideConfigLocations(TrainerApplication.CONFIG_LOCATION)
                .properties(Map.of(TrainerConfig.ENABLED, false)).start()) {
            Map<String, BoundSettings.Setting> bound = BoundSettings.of(ctx, BEANS);
            assertEquals("2m", bound.get("warm.trainer.planner.interval").defaultValue());
            assertEquals("warm.training-jobs", bound.get("warm.trainer.topics.training-jobs").defaultValue());
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("README.md"), bound, List.of("warm.trainer."), true));
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("../README.md"), bound, List.of("warm.trainer."), false));
        }
    }
}
