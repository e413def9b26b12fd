package io.warmstream.trainer;

import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.platform.ServiceLauncher;

import java.util.Map;

/**
 * Starts the trainer service: the job planner (Kafka Streams) and a training worker, each switchable
 * ({@code warm.trainer.planner.enabled}, {@code warm.trainer.worker.enabled}), plus health and Prometheus metrics.
 * <p>
 * Its configuration lives at {@code classpath:warmstream/trainer/application.yml} rather than the classpath root, so
 * several warmstream services can run in one JVM (the {@code local/} stack) without their {@code application.yml}
 * files shadowing each other; every bean also requires {@code warm.trainer.enabled=true}, which only that file sets.
 */
public final class TrainerApplication {

    /** Where this service's {@code application.yml} is. */
    public static final String CONFIG_LOCATION = "classpath:warmstream/trainer/";

    private TrainerApplication() {
    }

    public static void main(String[] args) {
        offlineModels();
        ServiceLauncher.requireConfigurationRead(Micronaut.build(args)
                .mainClass(TrainerApplication.class)
                .overrideConfigLocations(CONFIG_LOCATION, "file:config/")
                .start(), CONFIG_LOCATION, TrainerConfig.ENABLED);
    }

    /**
     * Starts the service in this JVM and returns its running HTTP server; close it (or its application context) to
     * stop everything. {@code properties} override the defaults, e.g. {@code warm.kafka.bootstrap-servers},
     * {@code warm.registry.url}, {@code warm.store.location}; {@code micronaut.server.port} 0 or -1 (the default here)
     * picks a free port.
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        offlineModels();
        return ServiceLauncher.start(CONFIG_LOCATION, TrainerConfig.ENABLED, properties);
    }

    /** Every model comes from the classpath; DJL must never try to download (set -Dai.djl.offline=false to allow it). */
    private static void offlineModels() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
