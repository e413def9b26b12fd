/**
 * Which model version serves, and how it changes: {@link io.warmstream.scorer.serving.HotSwappedModel} (leases,
 * atomic swaps), {@link io.warmstream.scorer.serving.ModelUpdater} (background loading of the newest good version),
 * {@link io.warmstream.scorer.serving.StoreModelLoader} (fetch and verify), the runtimes
 * ({@link io.warmstream.scorer.serving.ScoringBackend}) and the hooks monitors use
 * ({@link io.warmstream.scorer.serving.ServingListener}). Nothing here knows Kafka or HTTP.
 */
package io.warmstream.scorer.serving;
