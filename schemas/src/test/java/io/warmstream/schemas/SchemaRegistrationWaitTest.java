package io.warmstream.schemas;

import io.warmstream.embedded.EmbeddedInfraExtension;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.embedded.OutageProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that starts while the registry is away waits for it (issue 14): registration used to give up after
 * 7.5 s of retries, and the service exited.
 */
@ExtendWith(EmbeddedInfraExtension.class)
class SchemaRegistrationWaitTest {

    private static final List<TopicSpec> SPECS = List.of(Topics.spec(Topics.TRAINING_RUNS));

    @Test
    void registrationWaitsForARegistryThatComesBack(EmbeddedRegistry registry) throws Exception {
        try (OutageProxy proxy = new OutageProxy("127.0.0.1", URI.create(registry.url()).getPort())) {
            String url = "http://127.0.0.1:" + proxy.port() + "/apis/ccompat/v7";
            proxy.down();
            long t0 = System.nanoTime();
            CompletableFuture<Map<String, Integer>> ids = CompletableFuture.supplyAsync(
                    () -> SchemaRegistration.registerAll(url, SPECS));
            Thread.sleep(12_000); // longer than the 7.5 s of retries that were all there was
            assertTrue(!ids.isDone() || !ids.isCompletedExceptionally(),
                    "registration gave up while the registry was away: " + (ids.isCompletedExceptionally() ? cause(ids) : ""));
            proxy.up();
            Map<String, Integer> registered = ids.get(60, TimeUnit.SECONDS);
            assertEquals(1, registered.size());
            assertTrue(registered.get(Topics.TRAINING_RUNS + "-value") > 0);
            assertTrue(System.nanoTime() - t0 >= Duration.ofSeconds(12).toNanos());
        }
    }

    @Test
    void theWaitIsBoundedBySetting(EmbeddedRegistry registry) {
        try (OutageProxy proxy = new OutageProxy("127.0.0.1", URI.create(registry.url()).getPort())) {
            String url = "http://127.0.0.1:" + proxy.port() + "/apis/ccompat/v7";
            proxy.down();
            long t0 = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> SchemaRegistration.registerAll(url, SPECS, null, Duration.ofSeconds(3)));
            long waited = System.nanoTime() - t0;
            assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
            assertTrue(waited >= Duration.ofSeconds(3).toNanos() && waited < Duration.ofSeconds(20).toNanos(),
                    "waited " + waited / 1_000_000 + " ms");
        }
    }

    @Test
    void theWaitIsASettingOfKafkaSettings() {
        assertEquals(Duration.ofMinutes(10), SchemaRegistration.startupWait(Map.of()));
        assertEquals(Duration.ofSeconds(90), SchemaRegistration.startupWait(Map.of("registry.startup-wait", "90s")));
        assertEquals(Duration.ofMinutes(2), SchemaRegistration.startupWait(Map.of("registry.startup-wait", "PT2M")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchemaRegistration.startupWait(Map.of("registry.startup-wait", "soon")));
        assertTrue(e.getMessage().contains("warm.registry.startup-wait"), e.getMessage());
    }

    private static String cause(CompletableFuture<?> f) {
        try {
            f.join();
            return "";
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause().toString() : e.toString();
        }
    }
}
