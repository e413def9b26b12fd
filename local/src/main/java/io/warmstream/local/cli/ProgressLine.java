package io.warmstream.local.cli;

import java.io.PrintWriter;

/**
 * One progress line on the error stream: rewritten in place on a terminal, printed every few seconds otherwise
 * (a log file or CI output should not fill with carriage returns).
 */
final class ProgressLine {

    private static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private long lastPrinted;
    private int lastLength;
    private String pending;

    ProgressLine(PrintWriter err, boolean quiet, boolean terminal) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = terminal;
    }

    void update(String text) {
        if (quiet) {
            return;
        }
        if (terminal) {
            err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
            err.flush();
            return;
        }
        pending = text;
        long now = System.nanoTime();
        if (now - lastPrinted >= PLAIN_INTERVAL_NANOS) {
            err.println(text);
            err.flush();
            lastPrinted = now;
            pending = null;
        }
    }

    /** Finishes the line (a terminal's cursor moves on; a pending plain update is printed). */
    void end() {
        if (quiet) {
            return;
        }
        if (terminal && lastLength > 0) {
            err.println();
        } else if (!terminal && pending != null) {
            err.println(pending);
        }
        err.flush();
    }
}
