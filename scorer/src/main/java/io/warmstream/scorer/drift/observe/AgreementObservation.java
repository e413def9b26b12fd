package io.warmstream.scorer.drift.observe;

import io.warmstream.events.DriftObservation;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.ModelSwap;
import io.warmstream.scorer.serving.ServingListener;
import io.warmstream.scorer.serving.ServingModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Agreement between versions: after a swap the previous version is kept ({@link ServingModel#tryLease()}) for at most
 * {@code agreement.max-labels} labels or {@code agreement.max-duration}, and scores the same fresh labels as the
 * serving one; the observation counts the labels both order the same way. The lease is taken on the loader thread
 * ({@link #onSwap}) and handed over; the label thread adopts, uses and closes it.
 */
final class AgreementObservation implements ServingListener {

    private static final Logger LOG = LoggerFactory.getLogger(AgreementObservation.class);

    private final HotSwappedModel hot;
    private final int maxLabels;
    private final Duration maxDuration;
    private final Clock clock;
    private final LabelScoring scoring;
    private final AtomicReference<Previous> pending = new AtomicReference<>();
    private Previous previous; // the label thread's

    /** The version before {@code installed}, kept to compare with it until it has seen enough labels or time ran out. */
    private record Previous(ModelLease lease, long installed, Instant until, long[] left) {
    }

    AgreementObservation(HotSwappedModel hot, int maxLabels, Duration maxDuration, Clock clock, LabelScoring scoring) {
        this.hot = hot;
        this.maxLabels = maxLabels;
        this.maxDuration = maxDuration;
        this.clock = clock;
        this.scoring = scoring;
    }

    @Override
    public void onSwap(ModelSwap swap) {
        if (swap.previous() == null || maxLabels <= 0) {
            return;
        }
        // Runs on the loader thread: only hand the lease over; the label thread adopts (and later closes) it.
        swap.previous().tryLease().ifPresent(lease -> {
            Previous old = pending.getAndSet(new Previous(lease, swap.installed().version().version(),
                    swap.at().plus(maxDuration), new long[] {maxLabels}));
            if (old != null) {
                old.lease().close();
            }
        });
    }

    /** Label thread, every poll: takes over a lease handed over by a swap; lets the kept version go when done. */
    void adoptPrevious() {
        Previous next = pending.getAndSet(null);
        if (next != null) {
            if (previous != null) previous.lease().close();
            previous = next;
        }
        Previous p = previous;
        if (p != null && (p.left()[0] <= 0 || clock.instant().isAfter(p.until())
                || hot.currentVersion().orElse(p.installed()) != p.installed())) {
            LOG.info("drift: v{} no longer compared with v{}", p.lease().version().version(), p.installed());
            p.lease().close();
            previous = null;
        }
    }

    /** Adds the agreement on {@code labels} to {@code o} when the kept version is compared with {@code version}. */
    void addTo(DriftObservation.Builder o, long version, LabelRewards now, List<PreferenceLabel> labels) {
        Previous p = previous;
        if (p != null && p.installed() == version) {
            LabelRewards before = scoring.rewards(p.lease(), labels);
            o.setPreviousVersion(p.lease().version().version())
                    .setAgreementSame(now.sameOrder(before))
                    .setAgreementCount(labels.size());
            p.left()[0] -= labels.size();
        }
    }

    /** Closes the kept leases (the label thread ends). */
    void release() {
        Previous p = previous;
        if (p != null) p.lease().close();
        Previous q = pending.getAndSet(null);
        if (q != null) q.lease().close();
    }
}
