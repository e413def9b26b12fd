package io.warmstream.embedded;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving tests the real embedded infrastructure: one {@link EmbeddedKafka} and one
 * {@link EmbeddedRegistry} per test JVM, shared by every test class, each started on first use and
 * stopped when the test run ends (a resource in the root store) or, at the latest, at JVM exit.
 *
 * <p>Use {@code @ExtendWith(EmbeddedInfraExtension.class)} and declare parameters of type
 * {@code EmbeddedKafka} or {@code EmbeddedRegistry} on constructors, {@code @BeforeAll}/{@code @BeforeEach}
 * or test methods. Code that needs the addresses outside parameter injection (for example a Micronaut
 * {@code TestPropertyProvider}) calls {@link #kafka()} and {@link #registry()}, which return the same shared
 * instances. Tests share the broker, so each test should use its own topic names or consumer groups when
 * it must not see other tests' records.
 */
public final class EmbeddedInfraExtension implements ParameterResolver, BeforeAllCallback {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedInfraExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedInfraExtension.class);

    private static EmbeddedKafka kafka;
    private static EmbeddedRegistry registry;
    // A failed start is remembered so later tests fail at once instead of each waiting for its own timeout.
    private static RuntimeException kafkaFailure;
    private static RuntimeException registryFailure;
    private static Thread shutdownHook;

    /** The shared broker of this JVM, started on first call. */
    public static synchronized EmbeddedKafka kafka() {
        if (kafkaFailure != null) {
            throw new IllegalStateException("the shared Kafka broker failed to start earlier in this JVM", kafkaFailure);
        }
        if (kafka == null) {
            try {
                kafka = EmbeddedKafka.start(null);
            } catch (RuntimeException e) {
                kafkaFailure = e;
                throw e;
            }
            ensureShutdownHook();
        }
        return kafka;
    }

    /** The shared registry of this JVM, started on first call. */
    public static synchronized EmbeddedRegistry registry() {
        if (registryFailure != null) {
            throw new IllegalStateException("the shared registry failed to start earlier in this JVM", registryFailure);
        }
        if (registry == null) {
            try {
                registry = EmbeddedRegistry.start();
            } catch (RuntimeException e) {
                registryFailure = e;
                throw e;
            }
            ensureShutdownHook();
        }
        return registry;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        registerStopAtEndOfRun(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedKafka.class || type == EmbeddedRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        registerStopAtEndOfRun(context);
        return parameter.getParameter().getType() == EmbeddedKafka.class ? kafka() : registry();
    }

    private static void registerStopAtEndOfRun(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(StopAtEndOfRun.class, k -> new StopAtEndOfRun(), StopAtEndOfRun.class);
    }

    private static void ensureShutdownHook() {
        if (shutdownHook == null) {
            shutdownHook = new Thread(EmbeddedInfraExtension::stopAll, "warm-embedded-infra-stop");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Stops the shared instances; later calls to {@link #kafka()} or {@link #registry()} start new ones. */
    static synchronized void stopAll() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("stopping the shared Kafka broker failed", e);
        } finally {
            kafka = null;
        }
        try {
            if (registry != null) {
                registry.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("stopping the shared registry failed", e);
        } finally {
            registry = null;
        }
    }

    /**
     * Closed by JUnit when the root context ends. Implements both the JUnit 5.13+ style ({@link AutoCloseable})
     * and the older {@code CloseableResource}; closing twice is harmless.
     */
    @SuppressWarnings("deprecation")
    private static final class StopAtEndOfRun implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            stopAll();
        }
    }
}
