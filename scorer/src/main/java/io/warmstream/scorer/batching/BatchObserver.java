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

    /** A request did not fit the token budget now (429). */
    default void rejectedQueueFull(int items) {
    }

    /** A request could never fit the token budget (413). */
    default void rejectedTooExpensive(int items) {
    }

    /** A request ended before it was answered: {@code client_gone}, {@code deadline}, {@code failed}, {@code stopping}. */
    default void requestEnded(String reason) {
    }

    /** Items of an ended request that were dropped and never computed. */
    default void itemsDropped(String reason, int items) {
    }

    default void batchFailed(ScoreMode mode, Throwable error) {
    }
}
