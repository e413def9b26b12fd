package io.warmstream.scorer.drift.observe;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.schemas.Holdout;
import io.warmstream.scorer.serving.ModelLease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * The PSI reference: held-out labels (the trainers' and merger's validation split, so no member trained on them) are
 * pooled; once enough are there, each serving version scores them once and their rewards go out as its reference.
 */
final class ReferenceObservation {

    private static final Logger LOG = LoggerFactory.getLogger(ReferenceObservation.class);

    private final String average;
    private final Holdout holdout;
    private final ReferencePool pool;
    private final ObservationPublisher publisher;
    private final Clock clock;
    private final LabelScoring scoring;

    ReferenceObservation(String average, Holdout holdout, int minLabels, int maxLabels, ObservationPublisher publisher,
                         Clock clock, LabelScoring scoring) {
        this.average = average;
        this.holdout = holdout;
        this.pool = new ReferencePool(minLabels, maxLabels);
        this.publisher = publisher;
        this.clock = clock;
        this.scoring = scoring;
    }

    /** Keeps the label for references if it is held out. */
    void offer(PreferenceLabel label) {
        if (holdout.isHeldOut(label.getId())) {
            pool.add(label);
        }
    }

    /** Sends the leased version's reference unless it has one or too few held-out labels are pooled yet. */
    void sendIfDue(ModelLease lease) {
        long version = lease.version().version();
        List<PreferenceLabel> due = pool.due(version);
        if (due.isEmpty()) {
            return;
        }
        LabelRewards scores = scoring.rewards(lease, due);
        publisher.publish(ObservationPublisher.empty(average, version, clock.instant())
                .setReferenceRewards(scores.all()).build());
        pool.sent(version);
        LOG.info("drift: reference of v{} from {} held-out labels", version, due.size());
    }
}
