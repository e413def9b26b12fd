package io.warmstream.local.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one chaos run does. Defaults in {@link #defaults}; the CI test shortens the outages (documented in
 * local/README.md), the committed long run keeps them at 60 s.
 *
 * @param dataDir        broker logs, store, work and state directories, service logs (a fresh directory per run)
 * @param seed           picks fault kinds, victims and moments
 * @param faults         how many random faults ({@code plan} empty), ignored when {@code plan} is given
 * @param plan           a fixed list of faults, in order (the CI test); empty: random
 * @param outage         how long the registry is down and the store unwritable
 * @param restartGrace   after a killed scorer answers /health again, failures of its clients still count as its own
 * @param settle         pause after a fault has recovered before the next one
 * @param recoveryTimeout a fault that has not recovered by then is reported as not recovered
 * @param quiesceTimeout after the last fault: how long to wait for every job, checkpoint and version to settle
 * @param trainers       trainer processes (the first also plans jobs)
 * @param scorers        scorer processes, each with its own scoring client
 * @param labelsPerSecond the simulator's label rate into ingest
 * @param serviceHeap    -Xmx of each service JVM
 * @param serviceOverrides properties given to every service last (the CI test shortens Kafka's group session timeout)
 */
public record ChaosSettings(Path dataDir, long seed, int faults, List<FaultKind> plan, Duration outage,
                            Duration restartGrace, Duration settle, Duration recoveryTimeout, Duration quiesceTimeout,
                            int trainers, int scorers, double labelsPerSecond, String serviceHeap,
                            Map<String, Object> serviceOverrides) {

    public ChaosSettings {
        dataDir = dataDir.toAbsolutePath().normalize();
        plan = List.copyOf(plan);
        serviceOverrides = Map.copyOf(serviceOverrides);
        if (trainers < 1 || scorers < 1) {
            throw new IllegalArgumentException("at least one trainer and one scorer");
        }
        if (plan.isEmpty() && faults < 0) {
            throw new IllegalArgumentException("faults must be >= 0");
        }
    }

    public static ChaosSettings defaults(Path dataDir, long seed, int faults) {
        return new ChaosSettings(dataDir, seed, faults, List.of(), Duration.ofSeconds(60), Duration.ofSeconds(10),
                Duration.ofSeconds(3), Duration.ofSeconds(180), Duration.ofSeconds(180), 2, 2, 8, "384m", Map.of());
    }

    public ChaosSettings withPlan(List<FaultKind> fixed) {
        return new ChaosSettings(dataDir, seed, fixed.size(), fixed, outage, restartGrace, settle, recoveryTimeout,
                quiesceTimeout, trainers, scorers, labelsPerSecond, serviceHeap, serviceOverrides);
    }

    public ChaosSettings withOutage(Duration d) {
        return new ChaosSettings(dataDir, seed, faults, plan, d, restartGrace, settle, recoveryTimeout,
                quiesceTimeout, trainers, scorers, labelsPerSecond, serviceHeap, serviceOverrides);
    }

    public int faultCount() {
        return plan.isEmpty() ? faults : plan.size();
    }
}
