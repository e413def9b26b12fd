package io.warmstream.merger.scoring;

import io.warmstream.model.PreferencePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the frozen-bottom features of the held-out sample computed between checkpoints, so the LMC guard and the
 * quality gate of the next checkpoint run only the top layers of each model: the bottom of newly held-out labels is
 * computed while the merger is idle instead of between a checkpoint and its publication.
 */
public final class HeldOutPrewarmer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeldOutPrewarmer.class);
    /** Pairs per lock hold: a checkpoint arriving mid-prewarm waits for at most this many pairs' bottoms. */
    static final int CHUNK = 8;

    /** What can be prewarmed; {@link FrozenBottomScorer} once opened. */
    @FunctionalInterface
    public interface Target {
        /** Sequences computed; 0 when nothing was missing or the cache is not open yet. */
        long prewarm(List<PreferencePair> pairs, int chunk);
    }

    private final ScheduledExecutorService executor;

    private HeldOutPrewarmer(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Starts prewarming every {@code interval}; a zero interval disables it (returns an idle prewarmer). */
    public static HeldOutPrewarmer start(Duration interval, Supplier<List<PreferencePair>> sample, Target target) {
        if (interval.isZero() || interval.isNegative()) {
            return new HeldOutPrewarmer(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warm-merger-prewarm");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> runOnce(sample, target), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return new HeldOutPrewarmer(executor);
    }

    static long runOnce(Supplier<List<PreferencePair>> sample, Target target) {
        try {
            long computed = target.prewarm(sample.get(), CHUNK);
            if (computed > 0) {
                LOG.debug("held-out features prewarmed: {} sequences", computed);
            }
            return computed;
        } catch (RuntimeException e) {
            LOG.warn("held-out feature prewarm failed ({}); the next checkpoint computes what it lacks", e.toString());
            return 0;
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
