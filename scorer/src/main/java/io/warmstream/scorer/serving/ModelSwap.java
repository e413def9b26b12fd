package io.warmstream.scorer.serving;

import java.time.Instant;

/**
 * A new version was installed. {@code previous} is null for the first version; during {@link ServingListener#onSwap}
 * it is still open, so a listener can {@link ServingModel#tryLease()} it.
 */
public record ModelSwap(ServingModel previous, ServingModel installed, Instant at) {
}
