package io.warmstream.trainer.plan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Counting across partitions: exact spans with transaction-marker gaps, replays ignored, window merging, deferred
 * triggers and left-out labels, serde (and the state of version 1, before capacity).
 */
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

    @Test
    void deferredTriggersKeepTheWindowAndRecordWhatSlidesOutInNoJob() {
        PlannerState s = new PlannerState();
        addLabels(s, 0, 3);
        s.cut(2);
        addLabels(s, 3, 6);
        assertEquals(0, s.deferTrigger(2).count());
        assertTrue(s.owed());
        addLabels(s, 6, 9);
        assertEquals(0, s.deferTrigger(2).count(), "the segment that slid out was the first job's");
        addLabels(s, 9, 12);
        assertEquals(new PlannerState.Selection(3, List.of(new OffsetSpan(0, 3, 6))), s.deferTrigger(2),
                "[3, 6) slid out in no job");
        addLabels(s, 12, 13);

        s.cutDeferred();
        assertFalse(s.owed());
        assertEquals(2, s.jobs());
        assertEquals(new PlannerState.Selection(6, List.of(new OffsetSpan(0, 6, 12))), s.window(2));
        assertEquals(1, s.pending(), "the label since the last trigger waits for the next one");
        assertEquals(new PlannerState.Selection(3, List.of(new OffsetSpan(0, 3, 6))), s.takeLeftOut());
        assertEquals(new PlannerState.Selection(0, List.of()), s.takeLeftOut(), "handed to one job only");
        assertEquals(List.of(new OffsetSpan(0, 0, 3)), s.headSpans());
        assertThrows(IllegalStateException.class, s::cutDeferred, "nothing deferred");
    }

    @Test
    void leftOutLabelsOfSeveralSegmentsMerge() {
        PlannerState s = new PlannerState();
        addLabels(s, 0, 2);
        s.cut(1);
        addLabels(s, 2, 4);
        s.deferTrigger(1);
        addLabels(s, 4, 6);
        s.deferTrigger(1);
        addLabels(s, 6, 8);
        s.deferTrigger(1);
        assertEquals(new PlannerState.Selection(4, List.of(new OffsetSpan(0, 2, 6))), s.takeLeftOut());
    }

    @Test
    void capacityAndDeferredSegmentsSurviveTheChangelogSerde() {
        PlannerState s = new PlannerState();
        addLabels(s, 0, 2);
        s.cut(1);
        addLabels(s, 2, 4);
        s.deferTrigger(1);
        addLabels(s, 4, 6);
        s.deferTrigger(1);
        s.capacity().planned("job-1", 100);
        s.capacity().planned("job-2", 200);
        s.capacity().record(new RunSignal("job-1", "worker-a", "PROGRESS", 150), 1_000);
        s.capacity().record(new RunSignal("other", "worker-b", "STARTED", 5_000), 1_000);
        PlannerStateSerde serde = new PlannerStateSerde();
        PlannerState back = serde.deserialize("t", serde.serialize("t", s));
        assertTrue(back.owed());
        assertEquals(s.capacity().pendingJobs, back.capacity().pendingJobs);
        assertEquals(java.util.Map.of("worker-a", 150L, "worker-b", 1_000L), back.capacity().workers,
                "a worker's clock ahead of the planner's is taken as the planner's");
        assertEquals(List.of("job-1", "job-2"), List.copyOf(back.capacity().pendingJobs.keySet()), "in planning order");
        assertEquals(s.takeLeftOut(), back.takeLeftOut());
        assertEquals(s.cutDeferred(), back.cutDeferred());
        assertEquals(s.window(1), back.window(1));
    }

    @Test
    void aVersion1StateFromBeforeCapacityStillReads() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeLong(1); // jobs
            out.writeLong(5); // total
            out.writeLong(2); // pending
            out.writeLong(42); // pending since
            out.writeInt(1); // one cursor: partition 0, first 0, pending from 3, end 5
            out.writeInt(0);
            out.writeLong(0);
            out.writeLong(3);
            out.writeLong(5);
            out.writeInt(1); // one segment: 3 labels in 0:[0,3)
            out.writeLong(3);
            out.writeInt(1);
            out.writeInt(0);
            out.writeLong(0);
            out.writeLong(3);
            out.writeInt(1); // head spans: 0:[0,3)
            out.writeInt(0);
            out.writeLong(0);
            out.writeLong(3);
        }
        PlannerState s = new PlannerStateSerde().deserialize("t", bytes.toByteArray());
        assertEquals(1, s.jobs());
        assertEquals(2, s.pending());
        assertEquals(List.of(new OffsetSpan(0, 0, 3)), s.headSpans());
        assertFalse(s.owed());
        assertEquals(0, s.capacity().pendingJobs(), "jobs planned before the upgrade are not counted");
        assertEquals(new PlannerState.Selection(0, List.of()), s.takeLeftOut());
        assertEquals(new PlannerState.Segment(2, List.of(new OffsetSpan(0, 3, 5))), s.cut(1));
    }

    private static void addLabels(PlannerState s, long from, long to) {
        for (long o = from; o < to; o++) {
            assertTrue(s.add(0, o, o));
        }
    }
}
