package io.warmstream.trainer.plan;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.warmstream.trainer.plan.PlannerHarness.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner plans against trainer capacity (TopologyTestDriver): at the limit of pending jobs per live worker a
 * due trigger waits and the next job covers its labels; endings (FINISHED, FAILED, SKIPPED) free capacity at once;
 * workers count while they publish; silent jobs time out; window labels that slide out in no job are recorded.
 */
class PlannerCapacityTest {

    private static final Duration DAY = Duration.ofDays(1);

    private static OffsetRange range(long start, long end) {
        return new OffsetRange(LABELS, 0, start, end);
    }

    @Test
    void atCapacityTheTriggerWaitsAndTheNextJobCoversItsLabels() {
        PlannerHarness.Heard heard = new PlannerHarness.Heard();
        try (PlannerHarness h = new PlannerHarness(PlannerHarness.settings(5, DAY, 1, DataSelection.ALL, 1,
                PlannerHarness.capacity(2, 1, Duration.ofMinutes(5), Duration.ofHours(1)), heard))) {
            h.labels(10);
            List<TrainingJob> first = h.read();
            assertEquals(2, first.size(), "2 per worker x at least 1 worker");
            h.labels(12);
            assertTrue(h.read().isEmpty(), "2 jobs pending: 12 labels, two more triggers' worth, wait");
            assertEquals(List.of("count"), heard.deferred, "the deferral is told once, not per label");
            assertEquals(2, heard.pendingJobs);
            assertEquals(0, heard.liveWorkers, "no worker heard from yet (one is assumed)");

            h.run("STARTED", first.get(0).getJobId(), "w1");
            assertTrue(h.read().isEmpty(), "a start ends nothing");
            h.run("FINISHED", first.get(0).getJobId(), "w1");
            TrainingJob third = h.one();
            assertEquals(List.of(range(0, 22)), third.getRanges(), "one job for everything that waited");
            assertEquals(22, third.getLabelCount());
            assertTrue(third.getJobId().startsWith("default-000003-"), third.getJobId());
            assertEquals(List.of(), third.getLeftOutRanges(), "ALL leaves nothing out");
            assertEquals(0, third.getLeftOutCount());

            h.labels(5);
            assertTrue(h.read().isEmpty(), "the second and third job are pending");
            h.run("SKIPPED", first.get(1).getJobId(), "w1");
            assertEquals(List.of(range(0, 27)), h.one().getRanges(), "a skipped job frees its place too");
            h.labels(5);
            h.run("FAILED", third.getJobId(), "w1");
            assertEquals(List.of(range(0, 32)), h.one().getRanges(), "and a failed one");
            assertEquals(List.of("count", "count", "count"), heard.deferred, "each time the limit is reached");
            assertEquals(List.of("count", "count", "count", "count", "count"), heard.planned);
            assertEquals(2, heard.pendingJobs);
            assertEquals(1, heard.liveWorkers);
        }
    }

    @Test
    void liveWorkersRaiseTheLimitUntilTheyFallSilent() {
        PlannerHarness.Heard heard = new PlannerHarness.Heard();
        try (PlannerHarness h = new PlannerHarness(PlannerHarness.settings(5, DAY, 1, DataSelection.ALL, 1,
                PlannerHarness.capacity(1, 1, Duration.ofSeconds(60), Duration.ofHours(1)), heard))) {
            h.run("PROGRESS", "someone-elses-job", "a");
            h.run("FINISHED", "another-job", "b");
            h.labels(15);
            List<TrainingJob> jobs = h.read();
            assertEquals(2, jobs.size(), "1 per worker x 2 live workers; the third trigger waits");
            assertEquals(2, heard.liveWorkers);

            h.advance(Duration.ofSeconds(61));
            assertEquals(0, heard.liveWorkers, "silent for longer than the TTL: not live");
            h.run("FINISHED", jobs.get(0).getJobId(), "a");
            assertTrue(h.read().isEmpty(), "one live worker, one job still pending: at capacity");
            assertEquals(1, heard.liveWorkers);
            assertEquals(1, heard.pendingJobs);
            h.run("FINISHED", jobs.get(1).getJobId(), "a");
            TrainingJob next = h.one();
            assertEquals(List.of(range(0, 15)), next.getRanges());
            assertEquals(List.of("a"), List.copyOf(h.state().capacity().workers.keySet()), "b was forgotten");
            h.advance(Duration.ofSeconds(61));
            assertTrue(h.state().capacity().workers.isEmpty(), "silent workers are forgotten: the state stays small");
        }
    }

    @Test
    void onlyAJobsOwnEndingFreesItsPlaceAndASilentJobTimesOut() {
        try (PlannerHarness h = new PlannerHarness(PlannerHarness.settings(5, DAY, 1, DataSelection.ALL, 1,
                PlannerHarness.capacity(1, 1, Duration.ofMinutes(5), Duration.ofMinutes(10)), PlannerEvents.NONE))) {
            h.labels(5);
            TrainingJob first = h.one();
            h.labels(5);
            h.run("PROGRESS", first.getJobId(), "w");
            h.run("FINISHED", "not-ours", "w");
            h.rawRunRecord(first.getJobId(), "not an avro run event".getBytes(StandardCharsets.UTF_8));
            assertTrue(h.read().isEmpty(), "progress, another job's end and an undecodable record end nothing");
            h.run("FINISHED", first.getJobId(), "w");
            TrainingJob second = h.one();
            assertEquals(List.of(range(0, 10)), second.getRanges(), "the planner got past the bad record");

            h.labels(5);
            h.advance(Duration.ofMinutes(5));
            h.run("PROGRESS", second.getJobId(), "w");
            h.advance(Duration.ofMinutes(9));
            assertTrue(h.read().isEmpty(), "its last progress is 9 minutes old, within the 10-minute timeout");
            h.advance(Duration.ofMinutes(2));
            TrainingJob third = h.one();
            assertEquals(List.of(range(0, 15)), third.getRanges(), "silent for 11 minutes: no longer pending");
            assertEquals(List.of(third.getJobId()), List.copyOf(h.state().capacity().pendingJobs.keySet()));
            h.run("FINISHED", second.getJobId(), "w");
            assertEquals(1, h.state().capacity().pendingJobs(), "a late ending of a timed-out job changes nothing");
        }
    }

    @Test
    void windowLabelsThatSlideOutInNoJobAreRecordedInTheNextJob() {
        PlannerHarness.Heard heard = new PlannerHarness.Heard();
        try (PlannerHarness h = new PlannerHarness(PlannerHarness.settings(5, DAY, 1, DataSelection.NEWEST_WINDOW, 2,
                PlannerHarness.capacity(1, 1, Duration.ofMinutes(5), Duration.ofHours(1)), heard))) {
            h.labels(5);
            TrainingJob first = h.one();
            assertEquals(List.of(range(0, 5)), first.getRanges());
            // three triggers at capacity: each closes its segment; the window keeps two, so [5, 10) slides out
            h.labels(15);
            h.labels(2);
            assertTrue(h.read().isEmpty());
            assertEquals(5, heard.leftOut);
            assertTrue(h.state().owed());

            h.run("FINISHED", first.getJobId(), "w");
            TrainingJob second = h.one();
            assertEquals(List.of(range(10, 20)), second.getRanges(), "the newest two triggers' labels");
            assertEquals(10, second.getLabelCount());
            assertEquals(List.of(range(5, 10)), second.getLeftOutRanges(), "recorded: in no job");
            assertEquals(5, second.getLeftOutCount());
            assertEquals(List.of(range(0, 5)), second.getSharedHeadRanges());
            assertEquals(2, h.state().pending(), "labels since the last trigger wait for the next one");

            h.labels(3);
            assertTrue(h.read().isEmpty(), "at capacity again");
            h.run("FINISHED", second.getJobId(), "w");
            TrainingJob third = h.one();
            assertEquals(List.of(range(15, 25)), third.getRanges());
            assertEquals(List.of(), third.getLeftOutRanges(), "[10, 15) slid out after the second job took it");
            assertEquals(List.of("count", "deferred", "deferred"), heard.planned);
        }
    }
}
