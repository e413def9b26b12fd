package io.warmstream.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * The tests' one wait loop: asks a probe again and again until its answer passes, or fails naming what was awaited
 * and the last answer seen (so a timeout says how far things got).
 */
public final class Await {

    /** A condition that may throw, e.g. one that calls an HTTP endpoint. */
    @FunctionalInterface
    public interface Check {
        boolean ok() throws Exception;
    }

    private Await() {
    }

    /** Asks {@code probe} every {@code every} until {@code passes} holds for its answer; returns that answer. */
    public static <T> T until(String what, Duration timeout, Duration every, Callable<T> probe, Predicate<? super T> passes)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            last = probe.call();
            if (passes.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            Thread.sleep(every.toMillis());
        }
    }

    /** Checks {@code check} every {@code every} until it holds. */
    public static void until(String what, Duration timeout, Duration every, Check check) throws Exception {
        until(what, timeout, every, check::ok, Boolean::booleanValue);
    }
}
