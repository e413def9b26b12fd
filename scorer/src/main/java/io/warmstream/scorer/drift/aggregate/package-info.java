/**
 * Drift aggregation: {@link io.warmstream.scorer.drift.aggregate.DriftTopology} windows observations per version into
 * {@link io.warmstream.scorer.drift.aggregate.DriftWindow}s (Welford moments, a KLL
 * {@link io.warmstream.scorer.drift.aggregate.RewardSketch}, counts) and reports closed windows with their
 * {@link io.warmstream.scorer.drift.aggregate.Psi}; {@link io.warmstream.scorer.drift.aggregate.DriftStreams} runs it.
 */
package io.warmstream.scorer.drift.aggregate;
