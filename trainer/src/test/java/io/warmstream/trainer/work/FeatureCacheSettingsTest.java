package io.warmstream.trainer.work;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureCacheSettingsTest {

    @Test
    void aDiskTierNeedsABudget() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureCacheSettings(true, 1, Path.of("x"), 0));
        assertEquals(1L << 30, FeatureCacheSettings.defaults().memoryBytes());
        assertEquals(null, FeatureCacheSettings.defaults().diskDir());
    }
}
