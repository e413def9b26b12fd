package io.warmstream.merger;

import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.platform.ServiceLauncher;

import java.util.Map;

/**
 * Starts the merger service: the merger of one average ({@code warm.merger.average}) and its admin HTTP API.
 * <p>
 * Its configuration lives at {@code classpath:warmstream/merger/application.yml} rather than the classpath root, so
 * several warmstream services can run in one JVM (the {@code local/} stack) without their {@code application.yml}
 * files shadowing each other; every bean also requires {@code warm.merger.enabled=true}, which only that file sets.
 */
public final class MergerApplication {

    /** Where this service's {@code application.yml} is. */
    public static final String CONFIG_LOCATION = "classpath:warmstream/merger/";

    private MergerApplication() {
    }

    public static void main(String[] args) {
        ServiceLauncher.requireConfigurationRead(Micronaut.build(args)
                .mainClass(MergerApplication.class)
                .overrideConfigLocations(CONFIG_LOCATION, "file:config/")
                .start(), CONFIG_LOCATION, MergerConfig.ENABLED);
    }

    /**
     * Starts the service in this JVM and returns its running HTTP server; close it (or its application context) to
     * stop everything. {@code properties} override the defaults, e.g. {@code warm.kafka.bootstrap-servers},
     * {@code warm.registry.url}, {@code warm.store.location}, {@code warm.merger.average}; {@code micronaut.server.port}
     * 0 or -1 picks a free port (the default in this method).
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        return ServiceLauncher.start(CONFIG_LOCATION, MergerConfig.ENABLED, properties);
    }
}
