package io.warmstream.ingest;

import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.platform.ServiceLauncher;

import java.util.Map;

/**
 * Starts the ingest service: the HTTP endpoint, the label producer and the validation topology.
 * <p>
 * Its configuration lives at {@code classpath:warmstream/ingest/application.yml} rather than the classpath root, so
 * several warmstream services can run in one JVM (the {@code local/} stack) without their {@code application.yml}
 * files shadowing each other; every bean also requires {@code warm.ingest.enabled=true}, which only that file sets,
 * so ingest beans stay out of other services' contexts.
 */
public final class IngestApplication {

    /** Where this service's {@code application.yml} is. */
    public static final String CONFIG_LOCATION = "classpath:warmstream/ingest/";

    private IngestApplication() {
    }

    public static void main(String[] args) {
        ServiceLauncher.requireConfigurationRead(Micronaut.build(args)
                .mainClass(IngestApplication.class)
                .overrideConfigLocations(CONFIG_LOCATION, "file:config/")
                .start(), CONFIG_LOCATION, IngestConfig.ENABLED);
    }

    /**
     * Starts the service in this JVM and returns its running HTTP server ({@code getURL()}, {@code getPort()});
     * close it (or its application context) to stop everything. {@code properties} override the defaults, e.g.
     * {@code warm.kafka.bootstrap-servers}, {@code warm.registry.url}; {@code micronaut.server.port} 0 or -1
     * picks a free port (the default in this method).
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        return ServiceLauncher.start(CONFIG_LOCATION, IngestConfig.ENABLED, properties);
    }
}
