package io.warmstream.local.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI-sized chaos run: every fault kind once, against real service processes (one trainer, two scorers) on the
 * embedded broker and registry. To stay near five minutes on two cores, outages last 10 s here instead of the long
 * run's 60 s, and Kafka's group session timeout is 10 s instead of 45 s (a killed member's partitions move on
 * sooner); everything else is as {@code warm chaos} runs it. Measured: 208 s on two cores shared with other work.
 */
class ChaosHarnessTest {

    static final Map<String, Object> FAST_REJOIN = Map.of(
            "warm.kafka.client.session.timeout.ms", 10_000, "warm.kafka.client.heartbeat.interval.ms", 2_000,
            "warm.ingest.topology.streams.session.timeout.ms", 10_000,
            "warm.ingest.topology.streams.heartbeat.interval.ms", 2_000);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void everyFaultKindOnceBreaksNoInvariant(@TempDir Path dir) {
        List<FaultKind> plan = Arrays.asList(FaultKind.values());
        ChaosSettings defaults = ChaosSettings.defaults(dir, 7, 0);
        ChaosSettings settings = new ChaosSettings(dir, 7, 0, plan, Duration.ofSeconds(10), defaults.restartGrace(),
                Duration.ofSeconds(1), Duration.ofSeconds(120), Duration.ofSeconds(120), 1, 2,
                defaults.labelsPerSecond(), defaults.serviceHeap(), FAST_REJOIN);
        ChaosReport report = new ChaosRun(settings, new PrintStream(System.out, true, StandardCharsets.UTF_8)).run();
        String json = report.toJson("ChaosHarnessTest");
        System.out.println(json);

        Map<String, Object> summary = report.summary();
        assertEquals(0L, summary.get("invariants_broken"), json);
        assertEquals(0L, report.unrecovered(), json);
        assertEquals(plan.size(), summary.get("faults_injected"));
        @SuppressWarnings("unchecked")
        Map<String, Integer> kinds = (Map<String, Integer>) summary.get("fault_kinds");
        for (FaultKind k : plan) {
            assertEquals(1, kinds.get(k.label()), k.label());
        }
        assertEquals(0L, summary.get("labels_lost"));
        assertEquals(0L, summary.get("labels_duplicated"));
        assertEquals(0L, summary.get("members_duplicated"));
        assertEquals(0L, summary.get("failed_scoring_requests_outside_own_kill"));
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) report.toMap("test").get("counts");
        assertTrue(((Number) counts.get("labels_accepted")).intValue() > 200, counts.toString());
        assertTrue(((Number) counts.get("versions")).intValue() >= 2, counts.toString());
        assertTrue(((Number) counts.get("scoring_requests_succeeded")).longValue() > 50, counts.toString());
        assertTrue((Double) summary.get("recovery_max_s") > 0);
    }
}
