/**
 * The merger service: folds every accepted reward model into its average exactly once and publishes each version.
 *
 * <p>Parts: {@link io.warmstream.merger.kafka.WarmMerger} (the Kafka loop, transactions, ownership),
 * {@link io.warmstream.merger.fold.CheckpointProcessor} (vetting, fold, held-out checks, store; no Kafka),
 * {@link io.warmstream.merger.guard.LmcGuard} (linear-mode-connectivity guard),
 * {@link io.warmstream.merger.gate.QualityGate} (withholds a version worse than the served one from serving),
 * {@link io.warmstream.merger.store.VersionRetention} (which versions stay in the store),
 * {@link io.warmstream.merger.state.AverageState} (what {@code WarmModelPublished} carries),
 * {@code http.MergerController} (admin API). See {@code merger/README.md}.
 */
package io.warmstream.merger;
