package io.warmstream.scorer.serving;

import java.time.Instant;

/**
 * A version that could not be served.
 *
 * @param stage {@code fetch} (not in the store), {@code verify} (SHA-256 or files wrong), {@code load} (weights or
 *              config unusable) or {@code ensemble} (a member for ENS mode)
 */
public record LoadFailure(String average, long version, String stage, String message, Instant at) {
}
