package io.warmstream.scorer.drift;

import io.micronaut.context.ApplicationContext;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.config.DriftBeans;
import io.warmstream.scorer.config.DriftSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftConfigTest {

    private static DriftConfig config(Map<String, Object> properties) {
        Map<String, Object> withSalt = new java.util.HashMap<>(properties);
        withSalt.putIfAbsent(io.warmstream.schemas.Holdout.SHARED_SALT, "drift-config-test");
        return configAsIs(withSalt);
    }

    /** The drift settings from the scorer's application.yml and {@code properties}, without starting the scorer. */
    private static DriftConfig configAsIs(Map<String, Object> properties) {
        Map<String, Object> props = new java.util.HashMap<>(properties);
        props.put(ScorerConfig.ENABLED, false);
        try (ApplicationContext ctx = ApplicationContext.builder().overrideConfigLocations(ScorerApplication.CONFIG_LOCATION)
                .properties(props).banner(false).start()) {
            return new DriftConfig(new DriftBeans(ctx.getBean(DriftSettings.class),
                    ctx.getBean(DriftSettings.Labels.class), ctx.getBean(DriftSettings.Holdout.class),
                    ctx.getBean(DriftSettings.Reference.class), ctx.getBean(DriftSettings.Agreement.class),
                    ctx.getBean(DriftSettings.Reports.class)),
                    ctx.getProperty(io.warmstream.schemas.Holdout.SHARED_SALT, String.class).orElse(null));
        }
    }

    @Test
    void theHoldoutSaltIsRequiredAndTheOwnKeyWinsOverTheSharedOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> configAsIs(Map.of("warm.x", "y")));
        assertTrue(e.getMessage().contains("WARM_HOLDOUT_SALT") && e.getMessage().contains("warm.scorer.drift.holdout.salt"),
                e.getMessage());
        DriftConfig own = configAsIs(Map.of("warm.scorer.drift.holdout.salt", "own", "warm.holdout.salt", "shared"));
        assertEquals("own", own.holdout().salt());
        assertEquals("shared", config(Map.of("warm.holdout.salt", "shared")).holdout().salt());
        assertTrue(!own.holdout().toString().contains("own"), own.holdout().toString());
    }

    @Test
    void labelSampleIsAStableShareOfIdsAndEveryLabelByDefault() {
        DriftConfig all = config(Map.of("warm.x", "y"));
        assertEquals(1.0, all.labelsSample());
        assertTrue(IntStream.range(0, 1000).allMatch(i -> all.sampled("label-" + i)));

        DriftConfig quarter = config(Map.of("warm.scorer.drift.labels.sample", 0.25));
        long picked = IntStream.range(0, 20_000).filter(i -> quarter.sampled("label-" + i)).count();
        assertEquals(0.25, picked / 20_000.0, 0.015);
        assertEquals(quarter.sampled("label-7"), config(Map.of("warm.scorer.drift.labels.sample", 0.25)).sampled("label-7"));
    }

    @Test
    void aSampleOutsideZeroToOneIsRefusedWithTheKey() {
        for (double bad : new double[] {0.0, -0.1, 1.5}) {
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> config(Map.of("warm.scorer.drift.labels.sample", bad)));
            assertTrue(e.getMessage().contains("warm.scorer.drift.labels.sample"), e.getMessage());
        }
    }
}
