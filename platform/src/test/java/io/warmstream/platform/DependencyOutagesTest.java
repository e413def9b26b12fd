package io.warmstream.platform;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DependencyOutagesTest {

    @Test
    void backoffDoublesFromTheFirstPauseAndStopsAtTheBound() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        assertEquals(Duration.ofMillis(100), b.delay(1));
        assertEquals(Duration.ofMillis(200), b.delay(2));
        assertEquals(Duration.ofMillis(800), b.delay(4));
        assertEquals(Duration.ofSeconds(1), b.delay(5));
        assertEquals(Duration.ofSeconds(1), b.delay(1_000_000), "no overflow after many attempts");
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }

    @Test
    void anOutageIsDescribedWhileItLastsAndItsRetriesAreCounted() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        DependencyOutages o = new DependencyOutages(clock);
        assertFalse(o.anyDown());
        assertEquals(1, o.down(DependencyOutages.Dependency.STORE, "root gone"));
        assertEquals(2, o.down(DependencyOutages.Dependency.STORE, "still gone"));
        assertTrue(o.isDown(DependencyOutages.Dependency.STORE));
        assertFalse(o.isDown(DependencyOutages.Dependency.REGISTRY));
        assertEquals(Map.of("checkpoint-store", "DOWN since 2026-01-01T00:00:00Z (2 failed attempts, retrying with "
                + "backoff): still gone"), o.describe());

        o.up(DependencyOutages.Dependency.STORE);
        assertFalse(o.anyDown());
        assertEquals(Map.of(), o.describe());
        assertEquals(2, o.retries(DependencyOutages.Dependency.STORE), "retries are counted for good");
        assertEquals(1, o.down(DependencyOutages.Dependency.STORE, "again"), "a new outage starts its own count");
    }
}
