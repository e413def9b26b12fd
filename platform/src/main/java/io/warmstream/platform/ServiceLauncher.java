package io.warmstream.platform;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.HashMap;
import java.util.Map;

/**
 * Starts a warmstream Micronaut service inside the calling JVM (tests, the {@code local/} stack).
 * <p>
 * Each service keeps its {@code application.yml} at {@code classpath:warmstream/<service>/} rather than the
 * classpath root, so several services can share one JVM without their files shadowing each other; each service's
 * beans also require {@code warm.<service>.enabled=true}, which only its own file sets.
 */
public final class ServiceLauncher {

    static final String PORT = "micronaut.server.port";

    private ServiceLauncher() {
    }

    /**
     * Starts the service whose configuration is at {@code configLocation} and returns its running HTTP server
     * ({@code getURL()}, {@code getPort()}); close it (or its application context) to stop everything.
     * {@code properties} override the file's defaults; a port of 0 or -1, or none, picks a free port.
     */
    public static EmbeddedServer start(String configLocation, Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder()
                .overrideConfigLocations(configLocation)
                .properties(withFreePortByDefault(properties))
                .banner(false)
                .start();
        try {
            return context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Micronaut reads -1 as "a free port"; 0 would be taken literally by some server versions. */
    static Map<String, Object> withFreePortByDefault(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        Object port = props.get(PORT);
        if (port == null || "0".equals(port.toString().trim())) {
            props.put(PORT, -1);
        }
        return props;
    }
}
