package io.warmstream.scorer.batching;

import java.time.Duration;

/**
 * How concurrent requests are gathered into forward batches.
 *
 * @param maxBatch      items per forward pass at most
 * @param maxWait       how long the oldest queued item may wait for more items to fill its batch; a model thread
 *                      that finds a full batch, or items older than this, starts at once
 * @param queueCapacity items waiting or in flight at most; more are refused (HTTP 429) instead of queued, so memory
 *                      stays bounded whatever the load
 * @param threads       model threads running forward passes in parallel
 */
public record BatchSettings(int maxBatch, Duration maxWait, int queueCapacity, int threads) {

    public BatchSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be >= 1, got " + maxBatch);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("max wait must be >= 0, got " + maxWait);
        }
        if (queueCapacity < maxBatch) {
            throw new IllegalArgumentException("queue capacity (" + queueCapacity + ") must hold at least one batch (" + maxBatch + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("model threads must be >= 1, got " + threads);
        }
    }
}
