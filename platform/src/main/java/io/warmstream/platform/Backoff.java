package io.warmstream.platform;

import java.time.Duration;

/**
 * Bounded exponential backoff for retrying an outage (store or registry unreachable): the first retry waits
 * {@code initial}, each further one twice as long, never more than {@code max}. Retries go on while the outage lasts;
 * the bound is on each wait, so a recovered dependency is noticed within {@code max}.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("backoff initial delay must be positive, got " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay " + max + " must be at least the initial delay " + initial);
        }
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
