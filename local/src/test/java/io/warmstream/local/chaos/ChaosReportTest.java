package io.warmstream.local.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The report's summary has exactly the issue's keys, with medians and maxima from the recovered faults only. */
class ChaosReportTest {

    @Test
    void summaryHoldsExactlyTheIssuesKeys() {
        ChaosSettings settings = ChaosSettings.defaults(Path.of("target/chaos-report-test"), 1, 3);
        List<ChaosReport.Fault> faults = List.of(
                fault(1, FaultKind.KILL_SCORER, 40.0),
                fault(2, FaultKind.KILL_SCORER, 20.0),
                fault(3, FaultKind.REGISTRY_OUTAGE, 2.0),
                fault(4, FaultKind.BROKER_RESTART, null));
        ChaosHistory history = new ChaosHistory(List.of("a"), List.of("a"), List.of(), Map.of(), List.of(), List.of(),
                List.of(), List.of(), Map.of(), List.of());
        ChaosReport report = new ChaosReport(settings, faults, InvariantChecker.check(history), history, 10, 1000,
                Map.of("cores", 2));
        Map<String, Object> s = report.summary();
        assertEquals(List.of("faults_injected", "fault_kinds", "invariants_broken", "labels_lost", "labels_duplicated",
                "members_duplicated", "failed_scoring_requests_outside_own_kill", "recovery_p50_s", "recovery_max_s"),
                List.copyOf(s.keySet()));
        assertEquals(4, s.get("faults_injected"));
        assertEquals(Map.of("kill_scorer", 2, "registry_outage", 1, "broker_restart", 1), s.get("fault_kinds"));
        assertEquals(20.0, s.get("recovery_p50_s"));
        assertEquals(40.0, s.get("recovery_max_s"));
        assertEquals(1, report.unrecovered());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byKind = (Map<String, Map<String, Object>>) report.toMap("x").get("recovery_by_kind");
        assertEquals(30.0, byKind.get("kill_scorer").get("recovery_median_s"));
        assertEquals(0, byKind.get("broker_restart").get("recovered"));
        assertNull(byKind.get("broker_restart").get("recovery_max_s"));
    }

    @Test
    void faultKindsAreNamedAsInTheReport() {
        assertEquals(FaultKind.KILL_MERGER_TRANSACTION, FaultKind.of("kill_merger_transaction"));
        assertEquals(FaultKind.STORE_UNWRITABLE, FaultKind.of("STORE_UNWRITABLE"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultKind.of("kill_everything"));
        assertEquals(true, e.getMessage().contains("kill_trainer"));
    }

    private static ChaosReport.Fault fault(int n, FaultKind kind, Double recovery) {
        return new ChaosReport.Fault(n, new FaultInjector.Injected(kind, "x", 1000L * n, 1000L * n, "test"), recovery, 1.0);
    }
}
