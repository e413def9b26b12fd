package io.warmstream.scorer.serving;

/**
 * Hooks for whatever watches the serving traffic (drift monitoring, metrics). Register with
 * {@link HotSwappedModel#addListener}, or, in the scorer service, declare a Micronaut bean implementing this interface:
 * it is picked up on the first event.
 *
 * <p>Threads: {@link #onSwap} and {@link #onLoadFailed} run on the loader thread, synchronously, before the retired
 * version is released, so a listener may {@link ServingModel#tryLease()} the previous version to keep it (e.g. to
 * measure agreement between versions) and must return quickly. {@link #onBatchScored} runs on one dispatcher thread,
 * after the requests were answered; when listeners fall behind, batches are dropped (and counted) rather than
 * slowing scoring down. Exceptions thrown by a listener are logged and otherwise ignored.
 */
public interface ServingListener {

    /** A batch of traffic (HTTP or stream) was scored by one version. */
    default void onBatchScored(ScoredBatch batch) {
    }

    /** {@code swap.installed()} now serves; {@code swap.previous()} (null for the first) finishes its leases. */
    default void onSwap(ModelSwap swap) {
    }

    /** A version could not be fetched, verified or loaded; the previous version keeps serving. */
    default void onLoadFailed(LoadFailure failure) {
    }
}
