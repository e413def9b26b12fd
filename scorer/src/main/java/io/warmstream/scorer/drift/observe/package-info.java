/**
 * What the scorer observes for drift monitoring: traffic rewards ({@link io.warmstream.scorer.drift.observe.TrafficObserver})
 * and observations made from labels ({@link io.warmstream.scorer.drift.observe.LabelMonitor} and one class per kind),
 * sent to {@code warm.drift.observations} by {@link io.warmstream.scorer.drift.observe.ObservationPublisher}.
 */
package io.warmstream.scorer.drift.observe;
