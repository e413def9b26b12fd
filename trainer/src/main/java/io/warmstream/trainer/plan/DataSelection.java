package io.warmstream.trainer.plan;

import java.util.Locale;

/**
 * Which labels a planned job trains on.
 * <ul>
 *   <li>{@link #ALL}: every label the planner has seen so far, per partition from the first label it saw to the
 *       newest (jobs grow; cap their cost with {@code maxSteps}). Each job covers every earlier one, so workers
 *       skip queued jobs that a newer one supersedes, and a trigger deferred at capacity loses nothing.</li>
 *   <li>{@link #NEWEST_WINDOW}: the labels of the newest K triggers (this one included), i.e. about
 *       K x labels-per-job labels. Exact, because every trigger's new labels are one recorded segment of offsets.
 *       Triggers deferred at capacity still close their segments; segments that slide out of the window in no job
 *       are recorded in the next job's {@code leftOutRanges}.</li>
 * </ul>
 * The trainer's README compares their costs.
 */
public enum DataSelection {
    ALL,
    NEWEST_WINDOW;

    /** "all" | "newest_window" | "newest-window" (case-insensitive). */
    public static DataSelection parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("data selection must be ALL or NEWEST_WINDOW, got '" + s + "'");
        }
    }
}
