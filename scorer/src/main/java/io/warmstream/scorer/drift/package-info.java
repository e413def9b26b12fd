/**
 * Drift monitoring, in three packages that depend on this one (settings and the observation key) and not on each
 * other except through Kafka topics:
 * <ul>
 *   <li>{@link io.warmstream.scorer.drift.observe}: what the scorer sees (traffic rewards, fresh labels, agreement
 *       after a swap, PSI references, ticks) goes to {@code warm.drift.observations};</li>
 *   <li>{@link io.warmstream.scorer.drift.aggregate}: the Streams topology turns observations into windowed
 *       {@code DriftReport}s on {@code warm.drift} (windows, KLL sketches, PSI);</li>
 *   <li>{@link io.warmstream.scorer.drift.report}: every instance reads the reports back for {@code GET /v1/drift}
 *       and the Prometheus gauges.</li>
 * </ul>
 */
package io.warmstream.scorer.drift;
