package io.warmstream.trainer.plan;

import io.warmstream.trainer.work.RunEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pending jobs, live workers, timeouts, and the limit they give. */
class CapacityLedgerTest {

    @Test
    void theEndingsThePlannerKnowsAreTheOnesTheWorkerPublishes() {
        assertEquals(Set.of(RunEvents.FINISHED, RunEvents.FAILED, RunEvents.SKIPPED), RunSignal.ENDINGS);
        assertFalse(new RunSignal("j", "w", RunEvents.STARTED, 0).endsJob());
        assertFalse(new RunSignal("j", "w", RunEvents.PROGRESS, 0).endsJob());
    }

    @Test
    void jobsEndByTheirOwnEndingsAndWorkersAreLiveWithinTheTtl() {
        CapacityLedger c = new CapacityLedger();
        c.planned("a", 1_000);
        c.planned("b", 2_000);
        assertFalse(c.record(new RunSignal("a", "w1", "STARTED", 3_000), 3_000));
        assertFalse(c.record(new RunSignal("unknown", "w2", "FINISHED", 4_000), 4_000));
        assertEquals(2, c.pendingJobs());
        assertEquals(2, c.liveWorkers(4_000, Duration.ofSeconds(1)));
        assertEquals(1, c.liveWorkers(4_500, Duration.ofSeconds(1)), "w1 was heard 1.5 s ago");
        assertTrue(c.record(new RunSignal("a", "w1", "SKIPPED", 5_000), 5_000));
        assertFalse(c.isPending("a"));
        assertFalse(c.record(new RunSignal("a", "w1", "FINISHED", 5_001), 5_001), "ended once");
        assertEquals(1, c.pendingJobs());
    }

    @Test
    void silentJobsTimeOutAndSilentWorkersAreForgotten() {
        CapacityLedger c = new CapacityLedger();
        c.planned("quiet", 0);
        c.planned("busy", 0);
        c.record(new RunSignal("busy", "w", "PROGRESS", 50_000), 50_000);
        CapacityLedger.Expired nothing = c.expire(59_000, Duration.ofSeconds(60), Duration.ofSeconds(10));
        assertEquals(List.of(), nothing.jobs());
        assertEquals(0, nothing.workers());
        CapacityLedger.Expired some = c.expire(61_000, Duration.ofSeconds(60), Duration.ofSeconds(10));
        assertEquals(List.of("quiet"), some.jobs());
        assertEquals(1, some.workers());
        assertTrue(some.any());
        assertEquals(1, c.pendingJobs());
        assertTrue(c.isPending("busy"), "its progress 11 s ago keeps it");
    }

    @Test
    void theLimitIsPerLiveWorkerWithAFloor() {
        CapacitySettings s = PlannerHarness.capacity(2, 1, Duration.ofMinutes(5), Duration.ofHours(1));
        assertEquals(2, s.limit(0), "one worker assumed");
        assertEquals(6, s.limit(3));
        assertEquals(8, PlannerHarness.capacity(2, 4, Duration.ofMinutes(5), Duration.ofHours(1)).limit(3));
        assertEquals(Integer.MAX_VALUE, PlannerHarness.capacity(0, 1, Duration.ofMinutes(5), Duration.ofHours(1)).limit(3));
    }
}
