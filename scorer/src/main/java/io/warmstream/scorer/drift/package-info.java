/**
 * Drift monitoring: observations of the serving versions (traffic rewards, fresh labels, agreement after a swap, PSI
 * references) go to {@code warm.drift.observations}; {@link io.warmstream.scorer.drift.DriftTopology} turns them into
 * windowed {@code DriftReport}s on {@code warm.drift}, which every instance reads back for {@code GET /v1/drift},
 * the Prometheus gauges and the dashboard.
 */
package io.warmstream.scorer.drift;
