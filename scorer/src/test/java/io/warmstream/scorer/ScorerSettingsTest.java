package io.warmstream.scorer;

import io.micronaut.context.ApplicationContext;
import io.warmstream.testkit.config.BoundSettings;
import io.warmstream.testkit.config.SettingsTableCheck;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.config.AdmissionSettings;
import io.warmstream.scorer.config.BatchingSettings;
import io.warmstream.scorer.config.DriftSettings;
import io.warmstream.scorer.config.EnsSettings;
import io.warmstream.scorer.config.ScorerSettings;
import io.warmstream.scorer.config.StreamSettings;
import io.warmstream.scorer.config.UncertaintySettings;
import io.warmstream.scorer.config.VersionsSettings;
import io.warmstream.scorer.evaluation.EvaluationSettings;
import io.warmstream.scorer.events.ModelEventsSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scorer's settings are checked at start, naming the key, and its READMEs document every one with its default. */
class ScorerSettingsTest {

    static final List<Class<?>> BEANS = List.of(ScorerSettings.class, ScorerSettings.Onnx.class,
            ScorerSettings.Follower.class, ScorerSettings.Export.class, ScorerSettings.Compat.class,
            AdmissionSettings.class, BatchingSettings.class, EnsSettings.class, VersionsSettings.class,
            UncertaintySettings.class, StreamSettings.class, ModelEventsSettings.class, EvaluationSettings.class,
            DriftSettings.class, DriftSettings.Labels.class, DriftSettings.Holdout.class, DriftSettings.Reference.class,
            DriftSettings.Agreement.class, DriftSettings.Reports.class);

    @Test
    void aBadValueStopsTheServiceAtStartNamingItsKey() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                "warm.scorer.limits.deadline", "0s",
                "warm.scorer.batching.token-budget", -1,
                "warm.scorer.batching.max-wait", "soon",
                "warm.scorer.stream.score-timeout", "40s",
                "warm.scorer.drift.tick", "0s").entrySet()) {
            RuntimeException e = assertThrows(RuntimeException.class, () -> ScorerApplication.start(Map.of(
                    "micronaut.security.enabled", false,
                    Holdout.SHARED_SALT, "scorer-settings-test",
                    "warm.store.location", "target/scorer-settings-test-store",
                    bad.getKey(), bad.getValue())).close());
            assertTrue(e.getMessage().contains(bad.getKey() + " must"), e.getMessage());
        }
    }

    @Test
    void theReadmesDocumentEveryKeyWithTheDefaultTheServiceHas() {
        try (ApplicationContext ctx = ApplicationContext.builder()
                .overrideConfigLocations(ScorerApplication.CONFIG_LOCATION)
                .properties(Map.of(ScorerConfig.ENABLED, false)).start()) {
            Map<String, BoundSettings.Setting> bound = BoundSettings.of(ctx, BEANS);
            assertEquals("131072", bound.get("warm.scorer.batching.token-budget").defaultValue());
            assertEquals("5s", bound.get("warm.scorer.drift.tick").defaultValue());
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("README.md"), bound, List.of("warm.scorer."), true));
            assertEquals(List.of(), SettingsTableCheck.problems(Path.of("../README.md"), bound, List.of("warm.scorer."), false));
        }
    }
}
