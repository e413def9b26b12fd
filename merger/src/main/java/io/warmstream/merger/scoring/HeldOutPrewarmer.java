package io.warmstream.merger.scoring;

import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.model.CpuPriority;
import io.warmstream.model.PreferencePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Does between checkpoints what the next checkpoint's held-out checks would otherwise do between the checkpoint and
 * its publication: first the frozen-bottom features of newly held-out labels (so each model runs only its top layers),
 * then the model work that does not depend on the next checkpoint (the served version on new labels, the members
 * whose scoring the guard left for later). Checkpoint-to-served time is what this buys; the work is the same.
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

    /**
     * Starts prewarming every {@code interval} on a thread at nice value {@code nice}; a zero interval disables it
     * (returns an idle prewarmer).
     *
     * @param features the feature cache to fill
     * @param models   the model scoring to do once the features are there
     */
    public static HeldOutPrewarmer start(Duration interval, int nice, Supplier<HeldOutPairs> sample, Target features,
                                         Consumer<HeldOutPairs> models) {
        if (interval.isZero() || interval.isNegative()) {
            return new HeldOutPrewarmer(null);
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(() -> {
                CpuPriority.lowerCurrentThread(nice);
                r.run();
            }, "warm-merger-prewarm");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> runOnce(sample, features, models), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return new HeldOutPrewarmer(executor);
    }

    /** One round; returns the feature sequences computed. Never throws: the next checkpoint does what is left. */
    static long runOnce(Supplier<HeldOutPairs> sample, Target features, Consumer<HeldOutPairs> models) {
        HeldOutPairs snapshot;
        try {
            snapshot = sample.get();
        } catch (RuntimeException e) {
            LOG.warn("held-out prewarm: no sample ({})", e.toString());
            return 0;
        }
        long computed = 0;
        try {
            computed = features.prewarm(snapshot.pairs(), CHUNK);
            if (computed > 0) {
                LOG.debug("held-out features prewarmed: {} sequences", computed);
            }
        } catch (RuntimeException e) {
            LOG.warn("held-out feature prewarm failed ({}); the next checkpoint computes what it lacks", e.toString());
        }
        try {
            models.accept(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("held-out model prewarm failed ({}); the next checkpoint scores what it lacks", e.toString());
        }
        return computed;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
