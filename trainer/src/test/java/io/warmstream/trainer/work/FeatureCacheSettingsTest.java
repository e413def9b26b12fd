package io.warmstream.trainer.work;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureCacheSettingsTest {

    @Test
    void byteCountsTakePowerOf1024Units() {
        assertEquals(1073741824L, FeatureCacheSettings.parseBytes("k", "1GiB"));
        assertEquals(1073741824L, FeatureCacheSettings.parseBytes("k", "1g"));
        assertEquals(512L << 20, FeatureCacheSettings.parseBytes("k", "512 MB"));
        assertEquals(3L << 10, FeatureCacheSettings.parseBytes("k", "3KiB"));
        assertEquals(123456789L, FeatureCacheSettings.parseBytes("k", "123456789"));
        assertEquals(8L << 40, FeatureCacheSettings.parseBytes("k", "8T"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureCacheSettings.parseBytes("warm.x", "lots"));
        assertEquals("warm.x: 'lots' is not a byte count (e.g. 1073741824, 512MiB, 1GiB)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureCacheSettings.parseBytes("k", "1.5GiB"));
        assertThrows(IllegalArgumentException.class, () -> FeatureCacheSettings.parseBytes("k", "99999999999T"));
    }

    @Test
    void aDiskTierNeedsABudget() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureCacheSettings(true, 1, Path.of("x"), 0));
        assertEquals(1L << 30, FeatureCacheSettings.defaults().memoryBytes());
        assertEquals(null, FeatureCacheSettings.defaults().diskDir());
    }
}
