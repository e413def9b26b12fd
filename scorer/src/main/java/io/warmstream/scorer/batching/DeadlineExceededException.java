package io.warmstream.scorer.batching;

import java.time.Duration;

/** The request was not scored within its deadline; its unscored items were dropped (HTTP 503 with Retry-After). */
public final class DeadlineExceededException extends RuntimeException {

    private final Duration deadline;

    public DeadlineExceededException(Duration deadline) {
        super("not scored within the deadline of " + deadline.toMillis() + " ms (warm.scorer.limits.deadline): "
                + "the scorer is busy; its unscored items were dropped, retry later", null, false, false);
        this.deadline = deadline;
    }

    public Duration deadline() {
        return deadline;
    }
}
