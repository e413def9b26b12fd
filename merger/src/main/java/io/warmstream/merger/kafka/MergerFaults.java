package io.warmstream.merger.kafka;

import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.schemas.RegistryOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The merger's own faults (store or registry unreachable, Kafka errors): the last one for the health endpoint, the
 * dependencies it waits for, and the pause before a retry. Written on the merger's thread, read from any.
 */
final class MergerFaults {

    private static final Logger LOG = LoggerFactory.getLogger(MergerFaults.class);

    private final String average;
    private final Backoff backoff;
    private final MergerListener listener;
    private final Clock clock;
    private final DependencyOutages outages;
    /** Faults since the last checkpoint went through: the exponent of the retry pause. */
    private int faultsInARow;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    MergerFaults(String average, Backoff backoff, MergerListener listener, Clock clock) {
        this.average = average;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = clock;
        this.outages = new DependencyOutages(clock);
        listener.watch(outages);
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorAt() {
        return lastErrorAt;
    }

    DependencyOutages outages() {
        return outages;
    }

    /** Records a fault (health, metrics, log); the caller decides what happens next. */
    void fault(String message, Throwable t) {
        lastError = message;
        lastErrorAt = clock.instant();
        listener.fault(message);
        LOG.warn("average {}: {}", average, message, t);
    }

    /**
     * A fault on the merger's side: reports it (naming the store or the registry when one of them is unreachable)
     * and pauses before the retry, twice as long with each fault in a row, up to {@code retryBackoffMax}.
     */
    void retryLater(String what, RuntimeException e) {
        Duration pause = backoff.delay(++faultsInARow);
        DependencyOutages.Dependency dependency = RegistryOutage.isOutage(e) ? DependencyOutages.Dependency.REGISTRY
                : StoreUnavailableException.isCause(e) ? DependencyOutages.Dependency.STORE : null;
        if (dependency != null) {
            outages.down(dependency, e.getMessage());
        }
        fault(what + (dependency == null ? "" : " (" + dependency.label() + " unreachable)") + ", retrying in "
                + pause.toMillis() + " ms: " + e.getMessage(), e);
        sleep(pause);
    }

    /** Something went through: no fault stands, no dependency is down. */
    void clear() {
        lastError = null;
        lastErrorAt = null;
        faultsInARow = 0;
        outages.up(DependencyOutages.Dependency.STORE);
        outages.up(DependencyOutages.Dependency.REGISTRY);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
