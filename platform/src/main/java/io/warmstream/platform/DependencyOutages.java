package io.warmstream.platform;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which external dependencies a service is currently waiting for, for {@code /health} and metrics. A service marks a
 * dependency {@link #down} each time a call to it fails for want of it (not for the data's own fault) and
 * {@link #up} when a call succeeds again; health shows each one that is down with its error, since when and how many
 * retries it has cost, and metrics read {@link #isDown} and {@link #retries}.
 */
public final class DependencyOutages {

    /** The dependencies whose outages are waited out rather than turned into verdicts. */
    public enum Dependency {
        STORE("checkpoint-store"), REGISTRY("schema-registry");

        private final String label;

        Dependency(String label) {
            this.label = label;
        }

        /** The name health details and metric tags use. */
        public String label() {
            return label;
        }
    }

    private record Down(String error, Instant since, long attempts) {
    }

    private final Clock clock;
    private final Map<Dependency, Down> down = new EnumMap<>(Dependency.class);
    private final Map<Dependency, Long> retries = new EnumMap<>(Dependency.class);

    public DependencyOutages(Clock clock) {
        this.clock = clock;
    }

    public DependencyOutages() {
        this(Clock.systemUTC());
    }

    /** A call needing {@code d} failed because {@code d} could not be reached; returns the failures in a row. */
    public synchronized long down(Dependency d, String error) {
        Down was = down.get(d);
        Down now = new Down(error, was == null ? clock.instant() : was.since(), was == null ? 1 : was.attempts() + 1);
        down.put(d, now);
        retries.merge(d, 1L, Long::sum);
        return now.attempts();
    }

    /** A call needing {@code d} went through. */
    public synchronized void up(Dependency d) {
        down.remove(d);
    }

    public synchronized boolean isDown(Dependency d) {
        return down.containsKey(d);
    }

    public synchronized boolean anyDown() {
        return !down.isEmpty();
    }

    /** Failed calls to {@code d} since start (each one was retried, never turned into a verdict). */
    public synchronized long retries(Dependency d) {
        return retries.getOrDefault(d, 0L);
    }

    /** For health: {@code {"checkpoint-store": "DOWN since ...: <error> (<n> failed attempts)"}}, empty when all are up. */
    public synchronized Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        down.forEach((d, s) -> out.put(d.label(), "DOWN since " + s.since() + " (" + s.attempts()
                + " failed attempts, retrying with backoff): " + s.error()));
        return out;
    }
}
