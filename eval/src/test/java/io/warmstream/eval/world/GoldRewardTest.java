package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GoldRewardTest {
    private final PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults());

    private static CandidateProperties properties(double coverage, int invented, int repeated, int words,
                                                  boolean truncated) {
        return new CandidateProperties(0, 0, coverage, invented, repeated, 0, 0, words, truncated, List.of(),
                List.of());
    }

    @Test
    void formulaAsDocumented() {
        GoldReward gold = GoldReward.DEFAULT;
        assertEquals(2.0, gold.score(properties(1.0, 0, 0, 30, false)), 1e-12);
        assertEquals(2.0 * 0.75 - 1.0 - 2 * 0.5 - 0.02 * 10 - 0.3, gold.score(properties(0.75, 1, 2, 40, true)),
                1e-12);
        assertEquals(0.0, gold.score(properties(0.0, 0, 0, 5, false)), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new GoldReward(1, -1, 0, 0, 10, 0));
    }

    @Test
    void fullCoverageBeatsPartialBeatsHallucinated() {
        for (int t = 0; t < 200; t++) {
            Task task = world.task(Split.VALIDATION_ID, t);
            int n = task.facts().size();
            List<Integer> bySalience = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -task.facts().get(i).salience())).toList();
            int core = bySalience.get(0);
            Candidate full = world.write(task, SummaryPlan.complete(task), t);
            Candidate partial = world.write(task, SummaryPlan.covering(bySalience.subList(0, (n + 1) / 2)), t);
            Candidate hallucinated = world.write(task, SummaryPlan.complete(task).withContradicted(core), t);
            Candidate extra = world.write(task, SummaryPlan.complete(task).withInventedNew(1), t);

            assertEquals(n, full.properties().covered());
            assertEquals(1.0, full.properties().coverage(), 1e-12);
            assertEquals(0, full.properties().invented());
            assertEquals(1, hallucinated.properties().invented(), hallucinated.text());
            assertEquals(n - 1, hallucinated.properties().covered());
            assertTrue(full.goldReward() > partial.goldReward(), full.text() + " vs " + partial.text());
            assertTrue(partial.goldReward() > hallucinated.goldReward(), partial.text() + " vs " + hallucinated.text());
            if (n < WorldConfig.MAX_FACTS) { // a made-up fact needs a kind of fact the post does not mention
                assertEquals(1, extra.properties().invented(), extra.text());
                assertTrue(partial.goldReward() > extra.goldReward(), partial.text() + " vs " + extra.text());
            }
            for (Candidate c : List.of(full, partial, hallucinated, extra)) {
                assertEquals(GoldReward.DEFAULT.score(c.properties()), c.goldReward(), 1e-12);
            }
        }
    }

    @Test
    void repetitionPaddingAndTruncationCost() {
        for (int t = 0; t < 100; t++) {
            Task task = world.task(Split.TRAIN, t);
            Candidate full = world.write(task, SummaryPlan.complete(task), 1);
            Candidate repeated = world.write(task, SummaryPlan.complete(task).withRepeats(1), 1);
            Candidate padded = world.write(task, SummaryPlan.complete(task).withFillers(6), 1);
            Candidate truncated = world.write(task, SummaryPlan.complete(task).withTruncated(true), 1);
            assertEquals(1, repeated.properties().repeated());
            assertTrue(repeated.goldReward() <= full.goldReward() - 0.5 + 1e-9);
            assertTrue(padded.properties().words() > full.properties().words());
            assertTrue(padded.goldReward() <= full.goldReward());
            assertTrue(padded.properties().words() <= 30 || padded.goldReward() < full.goldReward());
            assertTrue(truncated.properties().truncated(), truncated.text());
            assertTrue(truncated.goldReward() <= full.goldReward() - 0.3 - 0.2 * 0.3 / 2 + 1e-9, truncated.text());
        }
    }
}
