package io.warmstream.trainer.plan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counting across partitions: exact spans with transaction-marker gaps, replays ignored, window merging, serde. */
class PlannerStateTest {

    @Test
    void spansAreExactPerPartitionAcrossGapsAndReplaysAreIgnored() {
        PlannerState s = new PlannerState();
        // p0: offsets 0,1 then a commit marker at 2, then 3,4; p2 starts late at 10 (earlier data deleted)
        assertTrue(s.add(0, 0, 100));
        assertTrue(s.add(2, 10, 101));
        assertTrue(s.add(0, 1, 102));
        assertTrue(s.add(0, 3, 103));
        assertFalse(s.add(0, 1, 104), "a replayed position is not counted twice");
        assertFalse(s.add(0, 3, 104));
        assertTrue(s.add(2, 12, 105));
        assertTrue(s.add(0, 4, 106));
        assertEquals(6, s.pending());
        assertTrue(s.countDue(6));
        assertFalse(s.countDue(7));

        PlannerState.Segment first = s.cut(3);
        assertEquals(6, first.count());
        assertEquals(List.of(new OffsetSpan(0, 0, 5), new OffsetSpan(2, 10, 13)), first.spans());
        assertEquals(first.spans(), s.headSpans());
        assertEquals(0, s.pending());
        assertEquals(1, s.jobs());

        s.add(1, 7, 200); // a partition seen for the first time
        s.add(2, 14, 201);
        PlannerState.Segment second = s.cut(3);
        assertEquals(List.of(new OffsetSpan(1, 7, 8), new OffsetSpan(2, 14, 15)), second.spans());
        assertEquals(new PlannerState.Selection(8, List.of(new OffsetSpan(0, 0, 5), new OffsetSpan(1, 7, 8),
                new OffsetSpan(2, 10, 15))), s.all());
        assertEquals(new PlannerState.Selection(2, List.of(new OffsetSpan(1, 7, 8), new OffsetSpan(2, 14, 15))),
                s.window(1));
        assertEquals(s.all(), s.window(2), "a window of every trigger so far is everything");
        assertEquals(first.spans(), s.headSpans(), "the head keeps the first job's labels");
        assertThrows(IllegalStateException.class, () -> s.cut(3), "no pending labels, no job");
    }

    @Test
    void onlyTheNewestSegmentsAreKept() {
        PlannerState s = new PlannerState();
        for (int job = 0; job < 5; job++) {
            for (int i = 0; i < 3; i++) {
                s.add(0, job * 3L + i, 0);
            }
            s.cut(2);
        }
        assertEquals(2, s.segments.size());
        assertEquals(new PlannerState.Selection(6, List.of(new OffsetSpan(0, 9, 15))), s.window(5));
        assertEquals(new PlannerState.Selection(15, List.of(new OffsetSpan(0, 0, 15))), s.all());
    }

    @Test
    void timeTriggerNeedsTheMinimumAndTheWait() {
        PlannerState s = new PlannerState();
        assertFalse(s.timeDue(1_000_000, Duration.ofSeconds(1), 1), "nothing pending");
        s.add(0, 0, 1_000);
        s.add(0, 1, 5_000);
        assertFalse(s.timeDue(10_999, Duration.ofSeconds(10), 2), "oldest waited 9.999 s");
        assertTrue(s.timeDue(11_000, Duration.ofSeconds(10), 2));
        assertFalse(s.timeDue(11_000, Duration.ofSeconds(10), 3), "below the minimum");
    }

    @Test
    void stateSurvivesTheChangelogSerde() {
        PlannerState s = new PlannerState();
        s.add(0, 0, 10);
        s.add(1, 5, 11);
        s.cut(4);
        s.add(0, 2, 12);
        s.add(1, 6, 13);
        s.cut(4);
        s.add(2, 100, 14);
        PlannerStateSerde serde = new PlannerStateSerde();
        PlannerState back = serde.deserialize("t", serde.serialize("t", s));
        assertEquals(s.jobs(), back.jobs());
        assertEquals(s.total(), back.total());
        assertEquals(s.pending(), back.pending());
        assertEquals(s.pendingSince, back.pendingSince);
        assertEquals(s.all(), back.all());
        assertEquals(s.window(4), back.window(4));
        assertEquals(s.headSpans(), back.headSpans());
        assertEquals(s.cut(4), back.cut(4), "and it goes on identically");
    }
}
