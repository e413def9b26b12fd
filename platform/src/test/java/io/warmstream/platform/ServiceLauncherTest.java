package io.warmstream.platform;

import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceLauncherTest {

    private static final String ENABLED = "warm.launchertest.enabled";

    @Test
    void noPortOrPortZeroMeansAFreePortAndOtherPortsAndPropertiesAreKept() {
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of()).get(ServiceLauncher.PORT));
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, 0)).get(ServiceLauncher.PORT));
        assertEquals(-1, ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, " 0 ")).get(ServiceLauncher.PORT));
        Map<String, Object> kept = ServiceLauncher.withFreePortByDefault(Map.of(ServiceLauncher.PORT, 8080, "warm.x", "y"));
        assertEquals(8080, kept.get(ServiceLauncher.PORT));
        assertEquals("y", kept.get("warm.x"));
    }

    @Test
    void aServiceWhoseOwnFileIsReadStartsWithItsSettings() {
        try (EmbeddedServer server = ServiceLauncher.start("classpath:warmstream/launchertest/", ENABLED,
                Map.of("micronaut.server.host", "127.0.0.1"))) {
            assertTrue(server.isRunning());
            assertEquals("from-the-file", server.getApplicationContext()
                    .getProperty("warm.launchertest.greeting", String.class).orElseThrow());
        }
    }

    /** The ./warm stack once ran every service without its controllers because no YAML reader was on its classpath. */
    @Test
    void aServiceWhoseOwnFileIsNotReadFailsNamingTheFile() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceLauncher.start("classpath:warmstream/no-such-service/", ENABLED, Map.of()));
        assertTrue(e.getMessage().contains("classpath:warmstream/no-such-service/"), e.getMessage());
        assertTrue(e.getMessage().contains(ENABLED), e.getMessage());
    }
}
