package io.warmstream.platform;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceLauncherTest {

    @Test
    void noPortOrPortZeroMeansAFreePortAndOtherPortsAndPropertiesAreKept() {
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of()).get(ServiceLauncher.PORT));
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, 0)).get(ServiceLauncher.PORT));
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, " 0 ")).get(ServiceLauncher.PORT));
        Map<String, Object> kept = ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, 8080, "warm.x", "y"));
        assertEquals(8080, kept.get(ServiceLauncher.PORT));
        assertEquals("y", kept.get("warm.x"));
    }
}
