package io.warmstream.scorer.drift.observe;

import io.warmstream.events.DriftObservation;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.ServingModel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prequential accuracy: a label appended after the serving version was published cannot be in its training data, so
 * scoring it now tests the version on unseen data; it is right when r(chosen) > r(rejected). Older labels (a restart
 * resuming behind) are skipped and counted. The same observation carries the agreement with a kept previous version.
 */
final class PrequentialObservation {

    private final String average;
    private final ObservationPublisher publisher;
    private final ObservationMetrics metrics;
    private final AgreementObservation agreement;
    private final Clock clock;
    private final LabelScoring scoring;

    PrequentialObservation(String average, ObservationPublisher publisher, ObservationMetrics metrics,
                           AgreementObservation agreement, Clock clock, LabelScoring scoring) {
        this.average = average;
        this.publisher = publisher;
        this.metrics = metrics;
        this.agreement = agreement;
        this.clock = clock;
        this.scoring = scoring;
    }

    /** {@code appended.get(i)}: when {@code labels.get(i)} was appended to warm.preferences (epoch millis). */
    void observe(ModelLease lease, List<PreferenceLabel> labels, List<Long> appended) {
        Instant published = publishedAt(lease.model());
        List<PreferenceLabel> fresh = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (appended.get(i) > published.toEpochMilli()) {
                fresh.add(labels.get(i));
            } else {
                metrics.labelSkipped("not_fresh");
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        long version = lease.version().version();
        LabelRewards now = scoring.rewards(lease, fresh);
        DriftObservation.Builder o = ObservationPublisher.empty(average, version, clock.instant())
                .setPrequentialCorrect(now.correct())
                .setPrequentialCount(fresh.size());
        agreement.addTo(o, version, now, fresh);
        publisher.publish(o.build());
        metrics.labelsScored(fresh.size());
    }

    private static Instant publishedAt(ServingModel m) {
        Instant p = m.version().publishedAt();
        return p != null ? p : m.loadedAt();
    }
}
