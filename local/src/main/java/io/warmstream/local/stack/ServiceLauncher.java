package io.warmstream.local.stack;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a service by its {@code <Service>Application.start(Map)} entry point, if that service is on the classpath.
 * The stack starts what exists, so the local stack runs (and says what is missing) while a service is still unbuilt.
 */
final class ServiceLauncher {

    private ServiceLauncher() {
    }

    /** The running service, or empty when {@code applicationClass} is not on the classpath. */
    static Optional<RunningService> start(String name, String applicationClass, Map<String, Object> properties) {
        Class<?> app;
        try {
            app = Class.forName(applicationClass, true, ServiceLauncher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
        Object started;
        try {
            Method start = app.getMethod("start", Map.class);
            started = start.invoke(null, properties);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(name + " failed to start: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(applicationClass + " has no public static start(Map): " + e, e);
        }
        if (started instanceof EmbeddedServer server) {
            return Optional.of(new RunningService(name, server));
        }
        if (started instanceof ApplicationContext context) {
            return Optional.of(new RunningService(name, context.getBean(EmbeddedServer.class)));
        }
        throw new IllegalStateException(applicationClass + ".start returned " + started + ", expected an EmbeddedServer");
    }
}
