/** Gathering concurrent requests into forward batches, with a bounded queue: {@link io.warmstream.scorer.batching.DynamicBatcher}. */
package io.warmstream.scorer.batching;
