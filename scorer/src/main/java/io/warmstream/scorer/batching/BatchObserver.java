package io.warmstream.scorer.batching;

import io.warmstream.scorer.serving.ScoreMode;

/** Metrics hooks of the batcher (the scorer's Prometheus metrics implement it). */
public interface BatchObserver {

    BatchObserver NONE = new BatchObserver() {
    };

    /** A forward pass of {@code items} items from {@code requests} requests took {@code nanos}. */
    default void batchScored(ScoreMode mode, int items, int requests, long nanos) {
    }

    /** An item waited this long between admission and the start of its forward pass. */
    default void queueWait(long nanos) {
    }

    default void rejectedQueueFull(int items) {
    }

    default void batchFailed(ScoreMode mode, Throwable error) {
    }
}
