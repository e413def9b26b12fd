package io.warmstream.scorer.evaluation;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Lets a version that is loading for serving go before the test-set judge. The judge runs after each swap, on its own
 * thread; on a CPU shared with training, judging version N (and its members) while version N+1 loads would slow the
 * swap readers wait for. The judge waits here between models while a load is in progress; it never delays a load.
 */
final class LoadsFirst {

    private final BooleanSupplier loading;
    private final Duration poll;

    LoadsFirst(BooleanSupplier loading, Duration poll) {
        this.loading = loading;
        this.poll = poll;
    }

    /** Returns once no load is in progress (or {@code keepWaiting} turns false); the milliseconds waited. */
    long awaitNoLoad(BooleanSupplier keepWaiting) throws InterruptedException {
        long start = System.nanoTime();
        while (loading.getAsBoolean() && keepWaiting.getAsBoolean()) {
            Thread.sleep(poll.toMillis());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
