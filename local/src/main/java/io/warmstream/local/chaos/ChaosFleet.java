package io.warmstream.local.chaos;

import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.local.stack.ServiceProperties;
import io.warmstream.local.stack.StackSettings;
import io.warmstream.local.stack.TrainingProfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service processes of a chaos run: ingest, the trainers (the first plans jobs), the merger and the scorers,
 * with the properties the local stack gives them ({@link ServiceProperties}, tiny profile) on fixed free ports.
 */
final class ChaosFleet {

    private final List<ServiceProcess> services = new ArrayList<>();
    private final Path storeDir;
    private final Path workDir;

    ChaosFleet(ChaosSettings s, String bootstrap, String registryUrl, LocalSecrets secrets) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        // Two cores for six JVMs: the scorers' drift reports are off, and stream scoring gets one thread.
        overrides.put("warm.scorer.drift.enabled", false);
        overrides.put("warm.scorer.stream.threads", 1);
        overrides.putAll(s.serviceOverrides());
        StackSettings stack = new StackSettings(s.dataDir(), 0, 0, 0, 0, 0, 0, s.trainers(), TrainingProfile.tiny(),
                overrides);
        ServiceProperties p = new ServiceProperties(stack, bootstrap, registryUrl, secrets, null);
        Path logs = s.dataDir().resolve("logs");
        this.storeDir = stack.storeDir();
        this.workDir = s.dataDir().resolve("work");
        services.add(new ServiceProcess("ingest", "ingest", ChaosInfrastructure.freePort(), provisioning(p.ingest(), "ingest"),
                logs, s.serviceHeap()));
        for (int i = 0; i < s.trainers(); i++) {
            services.add(new ServiceProcess("trainer-" + (i + 1), "trainer", ChaosInfrastructure.freePort(),
                    provisioning(p.trainer(i), "trainer"), logs, s.serviceHeap()));
        }
        services.add(new ServiceProcess("merger", "merger", ChaosInfrastructure.freePort(), provisioning(p.merger(), "merger"),
                logs, s.serviceHeap()));
        for (int i = 0; i < s.scorers(); i++) {
            Map<String, Object> scorer = provisioning(p.scorer(), "scorer");
            String name = "scorer-" + (i + 1);
            scorer.put("warm.scorer.stream.state-dir", s.dataDir().resolve("state").resolve(name).toString());
            scorer.put("warm.scorer.export.cache-dir", workDir.resolve(name + "-exports").toString());
            services.add(new ServiceProcess(name, "scorer", ChaosInfrastructure.freePort(), scorer, logs, s.serviceHeap()));
        }
    }

    /**
     * As compose runs them, every service provisions its topics and registers its schemas when it starts (the local
     * stack does that once for all): a restart during a registry outage then meets the registry at start-up.
     */
    private static Map<String, Object> provisioning(Map<String, Object> properties, String service) {
        Map<String, Object> p = new LinkedHashMap<>(properties);
        p.put("warm." + service + ".provision-topics", true);
        return p;
    }

    List<ServiceProcess> all() {
        return List.copyOf(services);
    }

    List<ServiceProcess> ofKind(String kind) {
        return services.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    ServiceProcess get(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The trainer process whose worker id is {@code workerId} ({@code local-trainer-N} is trainer-N). */
    Optional<ServiceProcess> trainerOfWorker(String workerId) {
        String n = workerId.substring(workerId.lastIndexOf('-') + 1);
        return services.stream().filter(s -> s.name().equals("trainer-" + n)).findFirst();
    }

    Path storeDir() {
        return storeDir;
    }

    Path workDir() {
        return workDir;
    }

    void startAll() {
        services.forEach(ServiceProcess::start);
    }

    /** Stops in the order that loses nothing: ingest first, scorers last. */
    void stopAll() {
        services.forEach(ServiceProcess::stop);
    }

    /** Every service answers /health with 200. */
    boolean allHealthy() {
        return services.stream().allMatch(ServiceProcess::healthy);
    }
}
