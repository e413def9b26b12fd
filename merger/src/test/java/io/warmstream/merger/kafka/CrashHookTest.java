package io.warmstream.merger.kafka;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CrashHookTest {

    @Test
    void crashesTheNthTimeThePointIsReached() {
        CrashHook hook = CrashHook.parse("after_event_sent@2");
        assertDoesNotThrow(() -> hook.reached(CrashPoint.AFTER_EVENT_SENT));
        assertDoesNotThrow(() -> hook.reached(CrashPoint.AFTER_COMMIT));
        CrashHook.SimulatedCrash c = assertThrows(CrashHook.SimulatedCrash.class, () -> hook.reached(CrashPoint.AFTER_EVENT_SENT));
        assertEquals(CrashPoint.AFTER_EVENT_SENT, c.point());
        assertDoesNotThrow(() -> hook.reached(CrashPoint.AFTER_EVENT_SENT));
    }

    @Test
    void blankMeansNeverAndNonsenseIsRefusedByName() {
        CrashHook none = CrashHook.parse(" ");
        for (CrashPoint p : CrashPoint.values()) {
            assertDoesNotThrow(() -> none.reached(p));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CrashHook.parse("SOMEWHERE"));
        assertEquals(true, e.getMessage().contains("AFTER_WEIGHTS_WRITTEN"));
    }
}
