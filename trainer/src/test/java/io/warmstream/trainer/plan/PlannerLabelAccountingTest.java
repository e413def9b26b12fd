package io.warmstream.trainer.plan;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No label is left out of every job without a record, whatever the order of labels, endings and clock ticks: a
 * seeded random run of the planner at capacity, then every label offset must be in a job's ranges or in a job's
 * left-out ranges (never both), and the planner never has more jobs pending than the limit.
 */
class PlannerLabelAccountingTest {

    private static final int LIMIT = 2;
    private static final String[] ENDINGS = {"FINISHED", "FAILED", "SKIPPED"};

    @ParameterizedTest
    @EnumSource(DataSelection.class)
    void everyLabelIsInAJobOrRecordedAsLeftOut(DataSelection selection) {
        Random random = new Random(13);
        // 1 per worker, at least 2 workers assumed: the limit is 2 with the one worker that publishes here
        CapacitySettings capacity = PlannerHarness.capacity(1, LIMIT, Duration.ofMinutes(5), Duration.ofHours(1));
        try (PlannerHarness h = new PlannerHarness(PlannerHarness.settings(5, Duration.ofSeconds(10), 1, selection,
                3, capacity, PlannerEvents.NONE))) {
            List<TrainingJob> jobs = new ArrayList<>();
            List<String> pending = new ArrayList<>();
            for (int step = 0; step < 400; step++) {
                int what = random.nextInt(10);
                if (what < 6) {
                    h.labels(1 + random.nextInt(7));
                } else if (what < 8 && !pending.isEmpty()) {
                    h.run(ENDINGS[random.nextInt(ENDINGS.length)], pending.remove(random.nextInt(pending.size())), "w");
                } else {
                    h.advance(Duration.ofSeconds(random.nextInt(15)));
                }
                collect(h, jobs, pending);
                assertTrue(pending.size() <= LIMIT, "step " + step + ": " + pending.size() + " jobs pending");
            }
            // drain: end every job and let the clock fire what is left
            for (int round = 0; round < 10 && (h.state().pending() > 0 || h.state().owed() || !pending.isEmpty()); round++) {
                while (!pending.isEmpty()) {
                    h.run("FINISHED", pending.remove(0), "w");
                    collect(h, jobs, pending);
                }
                h.advance(Duration.ofSeconds(11));
                collect(h, jobs, pending);
            }
            assertEquals(0, h.state().pending());
            assertFalse(h.state().owed());

            BitSet inJobs = new BitSet();
            BitSet leftOut = new BitSet();
            long leftOutCount = 0;
            for (TrainingJob j : jobs) {
                j.getRanges().forEach(r -> inJobs.set((int) r.getStartOffset(), (int) r.getEndOffset()));
                j.getLeftOutRanges().forEach(r -> leftOut.set((int) r.getStartOffset(), (int) r.getEndOffset()));
                leftOutCount += j.getLeftOutCount();
            }
            int labels = h.labelCount();
            for (int offset = 0; offset < labels; offset++) {
                assertTrue(inJobs.get(offset) || leftOut.get(offset), "label at offset " + offset + " has no record");
            }
            assertFalse(inJobs.intersects(leftOut), "left out means in no job");
            assertEquals(leftOut.cardinality(), leftOutCount, "counts match the ranges (no markers in this topic)");
            assertTrue(labels > 700, "labels " + labels);
            assertTrue(jobs.size() < labels / 5, jobs.size() + " jobs: triggers waited at capacity");
            if (selection == DataSelection.ALL) {
                assertEquals(0, leftOutCount);
                OffsetRange last = jobs.get(jobs.size() - 1).getRanges().get(0);
                assertEquals(List.of(0L, (long) labels), List.of(last.getStartOffset(), last.getEndOffset()));
            } else {
                assertTrue(leftOutCount > 0, "the run slid labels out of the window: " + leftOutCount);
            }
        }
    }

    private static void collect(PlannerHarness h, List<TrainingJob> jobs, List<String> pending) {
        for (TrainingJob j : h.read()) {
            jobs.add(j);
            pending.add(j.getJobId());
        }
    }
}
