package io.warmstream.platform.config;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ByteCountTest {

    @Test
    void byteCountsTakePowerOf1024Units() {
        assertEquals(1073741824L, ByteCount.parse("k", "1GiB"));
        assertEquals(1073741824L, ByteCount.parse("k", "1g"));
        assertEquals(512L << 20, ByteCount.parse("k", "512 MB"));
        assertEquals(3L << 10, ByteCount.parse("k", "3KiB"));
        assertEquals(123456789L, ByteCount.parse("k", "123456789"));
        assertEquals(8L << 40, ByteCount.parse("k", "8T"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ByteCount.parse("warm.x", "lots"));
        assertEquals("warm.x: 'lots' is not a byte count (e.g. 1073741824, 512MiB, 1GiB)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ByteCount.parse("k", "1.5GiB"));
        assertThrows(IllegalArgumentException.class, () -> ByteCount.parse("k", "99999999999T"));
    }
}
