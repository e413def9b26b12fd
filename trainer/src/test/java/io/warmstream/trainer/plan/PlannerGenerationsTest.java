package io.warmstream.trainer.plan;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.warmstream.trainer.plan.PlannerHarness.LABELS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generations: a new shared head, fitted on all labels so far, once enough labels accumulated. */
class PlannerGenerationsTest {

    private static PlannerSettings settings(double refitFactor) {
        return PlannerHarness.settings(5, Duration.ofDays(1), 1, DataSelection.ALL, 1,
                PlannerHarness.capacity(0, 1, Duration.ofMinutes(5), Duration.ofHours(1)), PlannerEvents.NONE)
                .withRefitFactor(refitFactor);
    }

    private static OffsetRange range(long start, long end) {
        return new OffsetRange(LABELS, 0, start, end);
    }

    @Test
    void aNewGenerationStartsOnceTheLabelsReachTheFactorTimesTheHeadsAndItsHeadSeesThemAll() {
        try (PlannerHarness h = new PlannerHarness(settings(4))) {
            h.labels(5 * 5); // jobs at 5, 10, 15, 20, 25 labels
            List<TrainingJob> jobs = h.read();
            assertEquals(5, jobs.size());
            TrainingJob first = jobs.get(0);
            assertEquals(0, first.getGeneration());
            assertEquals(List.of(range(0, 5)), first.getSharedHeadRanges());
            for (int i = 1; i < 3; i++) {
                assertEquals(0, jobs.get(i).getGeneration(), "10 and 15 labels are under 4 x 5");
                assertEquals(first.getSharedHead(), jobs.get(i).getSharedHead());
            }
            TrainingJob fourth = jobs.get(3);
            assertEquals(1, fourth.getGeneration(), "20 labels = 4 x the 5 the first head saw");
            assertEquals(List.of(range(0, 20)), fourth.getSharedHeadRanges(), "the new head sees all labels so far");
            assertNotEquals(first.getSharedHead(), fourth.getSharedHead());
            assertTrue(fourth.getSharedHead().startsWith("heads/default/") && fourth.getSharedHead().endsWith("/g1"),
                    fourth.getSharedHead());
            assertEquals(1, jobs.get(4).getGeneration(), "the generation stays until 4 x 20 labels");
            assertEquals(fourth.getSharedHead(), jobs.get(4).getSharedHead());

            h.labels(80 - 25); // 80 labels: 4 x the 20 of generation 1
            List<TrainingJob> later = h.read();
            TrainingJob last = later.get(later.size() - 1);
            assertEquals(2, last.getGeneration());
            assertEquals(List.of(range(0, 80)), last.getSharedHeadRanges());
            assertTrue(last.getSharedHead().endsWith("/g2"), last.getSharedHead());
            assertEquals(1, later.get(later.size() - 2).getGeneration(), "75 labels are still generation 1");
            assertEquals(2, h.state().generation());
            assertEquals(80, h.state().headLabels());
        }
    }

    @Test
    void factorZeroKeepsOneHeadForEver() {
        try (PlannerHarness h = new PlannerHarness(settings(0))) {
            h.labels(100);
            List<TrainingJob> jobs = h.read();
            assertEquals(20, jobs.size());
            assertTrue(jobs.stream().allMatch(j -> j.getGeneration() == 0));
            assertEquals(1, jobs.stream().map(TrainingJob::getSharedHead).distinct().count());
        }
    }

    @Test
    void theGenerationSurvivesTheChangelogSerde() {
        PlannerState s = new PlannerState();
        for (int i = 0; i < 10; i++) {
            s.add(0, i, 0);
        }
        s.cut(1);
        for (int i = 10; i < 30; i++) {
            s.add(0, i, 0);
        }
        s.cut(1);
        assertTrue(s.refitHeadIfDue(3));
        PlannerStateSerde serde = new PlannerStateSerde();
        PlannerState back = serde.deserialize("t", serde.serialize("t", s));
        assertEquals(1, back.generation());
        assertEquals(30, back.headLabels());
        assertEquals(s.headSpans(), back.headSpans());
    }

    @Test
    void aFactorOfOneOrLessIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings(1));
        assertThrows(IllegalArgumentException.class, () -> settings(-2));
    }
}
