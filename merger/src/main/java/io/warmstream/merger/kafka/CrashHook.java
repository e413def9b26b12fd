package io.warmstream.merger.kafka;

import java.util.Locale;

/**
 * Test hook (config {@code warm.merger.debug.crash-at}, e.g. {@code AFTER_EVENT_SENT@2}): the n-th time the merger
 * reaches that point it throws {@link SimulatedCrash}, and the merger stops the way a killed process does: its
 * consumer leaves the group, its transactional producer is abandoned with whatever transaction it has open. Never
 * set in production.
 */
public final class CrashHook {

    private static final CrashHook NONE = new CrashHook(null, 0);

    private final CrashPoint point;
    private final int nth;
    private int reached;

    private CrashHook(CrashPoint point, int nth) {
        this.point = point;
        this.nth = nth;
    }

    public static CrashHook none() {
        return NONE;
    }

    /** {@code POINT} or {@code POINT@n}; blank means none. */
    public static CrashHook parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        String[] parts = spec.trim().split("@", 2);
        try {
            CrashPoint point = CrashPoint.valueOf(parts[0].trim().toUpperCase(Locale.ROOT));
            int nth = parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1;
            return new CrashHook(point, nth);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("warm.merger.debug.crash-at '" + spec + "' must be POINT or POINT@n, POINT one of "
                    + java.util.Arrays.toString(CrashPoint.values()));
        }
    }

    public synchronized void reached(CrashPoint p) {
        if (p == point && ++reached == nth) {
            throw new SimulatedCrash(p);
        }
    }

    /** Thrown by the hook; an Error so that no ordinary catch block of the merger cleans up after it. */
    public static final class SimulatedCrash extends Error {
        private final CrashPoint point;

        SimulatedCrash(CrashPoint point) {
            super("simulated crash at " + point);
            this.point = point;
        }

        public CrashPoint point() {
            return point;
        }
    }
}
