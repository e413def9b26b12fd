package io.warmstream.scorer.drift.observe;

import io.warmstream.scorer.serving.HotSwappedModel;

import java.time.Duration;
import java.time.Instant;

/**
 * An empty observation of the serving version every {@code tick}: stream time moves only with records, so without
 * these a window would not close (and be reported) while traffic and labels stop.
 */
final class TickObservation {

    private final HotSwappedModel hot;
    private final ObservationPublisher publisher;
    private final Duration every;
    private Instant next;

    /** The first tick is due at {@code start}. */
    TickObservation(HotSwappedModel hot, ObservationPublisher publisher, Duration every, Instant start) {
        this.hot = hot;
        this.publisher = publisher;
        this.every = every;
        this.next = start;
    }

    void tickIfDue(Instant now) {
        if (!now.isBefore(next)) {
            hot.currentVersion().ifPresent(v -> publisher.publish(ObservationPublisher.empty(hot.average(), v, now).build()));
            next = now.plus(every);
        }
    }
}
