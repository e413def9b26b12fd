package io.warmstream.scorer;

import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.platform.ServiceLauncher;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

import java.util.Map;

/**
 * Starts the scorer service: the HTTP API, the follower of {@code warm.models} that hot-swaps the served model, and
 * the stream-scoring topology.
 * <p>
 * Its configuration lives at {@code classpath:warmstream/scorer/application.yml} rather than the classpath root, so
 * several warmstream services can run in one JVM (the {@code local/} stack) without their {@code application.yml}
 * files shadowing each other; every bean also requires {@code warm.scorer.enabled=true}, which only that file sets,
 * so scorer beans stay out of other services' contexts.
 */
@OpenAPIDefinition(info = @Info(title = "warmstream scorer", version = "1",
        description = "Rewards from the newest WARM reward model, hot-swapped as the merger publishes versions. "
                + "Errors are JSON: {\"error\": code, \"message\", \"field\" (e.g. items[3].response), \"limit\"}."))
public final class ScorerApplication {

    /** Where this service's {@code application.yml} is. */
    public static final String CONFIG_LOCATION = "classpath:warmstream/scorer/";

    private ScorerApplication() {
    }

    public static void main(String[] args) {
        ServiceLauncher.requireConfigurationRead(Micronaut.build(args)
                .mainClass(ScorerApplication.class)
                .overrideConfigLocations(CONFIG_LOCATION, "file:config/")
                .start(), CONFIG_LOCATION, ScorerConfig.ENABLED);
    }

    /**
     * Starts the service in this JVM and returns its running HTTP server ({@code getURL()}, {@code getPort()});
     * close it (or its application context) to stop everything. {@code properties} override the defaults, e.g.
     * {@code warm.kafka.bootstrap-servers}, {@code warm.registry.url}, {@code warm.store.location}; {@code micronaut.server.port} 0 or -1
     * picks a free port (the default in this method).
     */
    public static EmbeddedServer start(Map<String, Object> properties) {
        return ServiceLauncher.start(CONFIG_LOCATION, ScorerConfig.ENABLED, properties);
    }
}
