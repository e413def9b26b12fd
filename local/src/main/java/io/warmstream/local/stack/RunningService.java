package io.warmstream.local.stack;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service of the stack running in this JVM: its Micronaut context and HTTP address.
 */
public final class RunningService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);

    private final String name;
    private final String url;
    private final ApplicationContext context;

    RunningService(String name, EmbeddedServer server) {
        this.name = name;
        this.url = "http://localhost:" + server.getPort();
        this.context = server.getApplicationContext();
    }

    public String name() {
        return name;
    }

    /** {@code http://localhost:PORT}. */
    public String url() {
        return url;
    }

    public ApplicationContext context() {
        return context;
    }

    /** Stops the service: its HTTP server, Kafka clients and Streams apps. */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        try {
            if (context.isRunning()) {
                context.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("{} did not stop cleanly: {}", name, e.toString());
        }
        LOG.info("{} stopped in {} ms", name, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public String toString() {
        return name + " " + url;
    }
}
