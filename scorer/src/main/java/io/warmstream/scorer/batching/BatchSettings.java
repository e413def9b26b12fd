package io.warmstream.scorer.batching;

import java.time.Duration;

/**
 * How concurrent requests are admitted and gathered into forward batches.
 *
 * @param maxBatch    items per forward pass at most
 * @param maxWait     how long the oldest queued item may wait for more items to fill its batch; a model thread
 *                    that finds a full batch, or items older than this, starts at once
 * @param tokenBudget padded tokens admitted and not yet scored, at most ({@link TokenCost}: items x padded length,
 *                    x members in ENS mode); a request that does not fit now is refused (HTTP 429), one that could
 *                    never fit (HTTP 413), so neither memory nor the work ahead of a new request grows without bound
 * @param threads     model threads running forward passes in parallel
 * @param deadline    how long a request may take from admission to its answer; at the deadline its unscored items
 *                    are dropped and never computed (HTTP 503)
 */
public record BatchSettings(int maxBatch, Duration maxWait, int tokenBudget, int threads, Duration deadline) {

    public BatchSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("max wait must be >= 0, got " + maxWait);
        }
        if (tokenBudget < 1) {
            throw new IllegalArgumentException("token budget must be >= 1, got " + tokenBudget);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("model threads must be >= 1, got " + threads);
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be > 0, got " + deadline);
        }
    }
}
