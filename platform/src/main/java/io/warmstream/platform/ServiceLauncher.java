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
     * {@code enabledProperty} is the switch only the service's own file sets: if it is not true afterwards, the
     * file was not read and the service would answer without its controllers, so this fails instead.
     */
    public static EmbeddedServer start(String configLocation, String enabledProperty, Map<String, Object> properties) {
        ApplicationContext context = ApplicationContext.builder()
                .overrideConfigLocations(configLocation)
                .properties(withFreePortByDefault(properties))
                .banner(false)
                .start();
        try {
            requireConfigurationRead(context, configLocation, enabledProperty);
            return context.getBean(EmbeddedServer.class).start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * Returns the started {@code context} if its service's own file was read ({@code enabledProperty} true); else
     * closes it and fails, naming the file, since the service would otherwise run without its own beans.
     */
    public static ApplicationContext requireConfigurationRead(ApplicationContext context, String configLocation,
                                                              String enabledProperty) {
        boolean enabled = context.getProperty(enabledProperty, Boolean.class).orElse(false);
        if (!enabled) {
            context.close();
            throw new IllegalStateException("the service's configuration at " + configLocation + " was not read ("
                    + enabledProperty + " is not true): the file is missing from the classpath, or no YAML reader"
                    + " (org.yaml:snakeyaml) is on the runtime classpath");
        }
        return context;
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
