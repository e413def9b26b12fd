/**
 * Drift reports shown: {@link io.warmstream.scorer.drift.report.DriftReports} reads {@code warm.drift} on every
 * instance for {@code GET /v1/drift} ({@link io.warmstream.scorer.drift.report.DriftController}) and the Prometheus
 * gauges ({@link io.warmstream.scorer.drift.report.DriftGauges}).
 */
package io.warmstream.scorer.drift.report;
