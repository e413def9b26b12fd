package io.warmstream.trainer.plan;

import java.util.Locale;

/**
 * Which labels a planned job trains on.
 * <ul>
 *   <li>{@link #ALL}: every label the planner has seen so far, per partition from the first label it saw to the
 *       newest (jobs grow; cap their cost with {@code maxSteps}).</li>
 *   <li>{@link #NEWEST_WINDOW}: the labels of the newest K triggers (this one included), i.e. about
 *       K x labels-per-job labels. Exact, because every trigger's new labels are one recorded segment of offsets.</li>
 * </ul>
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
