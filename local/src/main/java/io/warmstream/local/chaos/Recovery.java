package io.warmstream.local.chaos;

import java.time.Duration;
import java.util.Map;

/**
 * When the system is healthy again after a fault: every service process answers /health with 200 (the merger as the
 * active owner of its average), every scorer
 * has answered a scoring request in full, and a label ingest accepted has been committed on warm.preferences, all
 * three after the fault ended. Recovery time is measured from the end of the fault (the kill, the broker's stop, the
 * dependency's return) to the first moment all three hold.
 */
final class Recovery {

    /** {@code seconds} is null when the system did not recover within the timeout. */
    record Measured(Double seconds, Long victimHealthyAt) {
    }

    private final ChaosFleet fleet;
    private final ScoringClients scoring;
    private final LabelDriver labels;
    private final LiveEvents live;

    Recovery(ChaosFleet fleet, ScoringClients scoring, LabelDriver labels, LiveEvents live) {
        this.fleet = fleet;
        this.scoring = scoring;
        this.labels = labels;
        this.live = live;
    }

    Measured await(FaultInjector.Injected fault, Duration timeout) {
        long from = fault.endedAt();
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        Long victimHealthy = null;
        String killed = fault.kind().isKill() ? fault.target() : fault.alsoKilled();
        ServiceProcess victim = killed != null ? fleet.get(killed) : null;
        while (System.currentTimeMillis() < deadline) {
            if (victim != null && victimHealthy == null && victim.healthy()) {
                victimHealthy = System.currentTimeMillis();
            }
            if (healthySince(from)) {
                long now = System.currentTimeMillis();
                return new Measured((now - from) / 1000.0, victimHealthy != null ? victimHealthy : now);
            }
            FaultInjector.sleep(250);
        }
        return new Measured(null, victimHealthy);
    }

    private boolean healthySince(long from) {
        for (ServiceProcess s : fleet.ofKind("scorer")) {
            if (scoring.lastSuccess(s.name()) <= from) return false;
        }
        boolean labelFlowed = false;
        for (Map.Entry<String, Long> e : labels.accepted().entrySet()) {
            if (e.getValue() > from && live.labelSeen(e.getKey())) {
                labelFlowed = true;
                break;
            }
        }
        return labelFlowed && fleet.allHealthy();
    }
}
