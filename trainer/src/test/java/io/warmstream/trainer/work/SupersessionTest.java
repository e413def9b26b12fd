package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import io.warmstream.trainer.Jobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The supersede rule: a newer job of the same average whose ranges hold all of a job's labels; no label dropped. */
class SupersessionTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static OffsetRange r(int partition, long start, long end) {
        return new OffsetRange("labels", partition, start, end);
    }

    private static TrainingJob job(String id, int secondsAfterT, OffsetRange... ranges) {
        return Jobs.tiny(id, List.of(ranges), 4).setCreatedAt(T.plusSeconds(secondsAfterT)).build();
    }

    @Test
    void aNewerJobThatHoldsEveryRangeSupersedes() {
        TrainingJob old = job("default-000001-a", 0, r(0, 0, 10), r(2, 5, 8));
        TrainingJob all = job("default-000002-b", 60, r(0, 0, 20), r(1, 0, 4), r(2, 0, 9));
        TrainingJob window = job("default-000003-c", 120, r(0, 10, 20), r(2, 8, 9));
        TrainingJob missesAPartition = job("default-000004-d", 180, r(0, 0, 20));
        assertTrue(Supersession.supersedes(all, old));
        assertFalse(Supersession.supersedes(old, all), "older");
        assertFalse(Supersession.supersedes(window, old), "a window past its labels does not cover them");
        assertFalse(Supersession.supersedes(missesAPartition, old), "partition 2 is not in it");
        assertEquals(Optional.of(all), Supersession.supersederOf(old, List.of(window, all, missesAPartition, old)));
        assertEquals(Optional.empty(), Supersession.supersederOf(all, List.of(old, window, missesAPartition)));

        TrainingJob otherAverage = Jobs.tiny("other-000009-e", List.of(r(0, 0, 99), r(2, 0, 99)), 4)
                .setAverage("other").setCreatedAt(T.plusSeconds(999)).build();
        assertFalse(Supersession.supersedes(otherAverage, old), "another average's members are another ensemble");
        TrainingJob otherTopic = Jobs.tiny("default-000010-f", List.of(new OffsetRange("elsewhere", 0, 0L, 99L),
                new OffsetRange("elsewhere", 2, 0L, 99L)), 4).setCreatedAt(T.plusSeconds(999)).build();
        assertFalse(Supersession.supersedes(otherTopic, old));
    }

    @Test
    void theNewestCovererIsNamedAndJobsOfTheSameLabelsOrAnotherBaseSupersedeNothing() {
        TrainingJob a = job("default-000001-a", 0, r(0, 0, 10));
        TrainingJob b = job("default-000002-b", 10, r(0, 0, 15));
        TrainingJob c = job("default-000003-c", 20, r(0, 0, 30));
        assertEquals(Optional.of(c), Supersession.supersederOf(a, List.of(a, b, c)), "the newest covering one");
        TrainingJob rerun = job("default-000004-d", 30, r(0, 0, 10));
        assertFalse(Supersession.supersedes(rerun, a), "the same labels again: another member, not newer data");
        assertFalse(Supersession.supersedes(a, a), "a job does not supersede itself");
        TrainingJob otherBase = Jobs.tiny("default-000005-e", List.of(r(0, 0, 99)), 4).setBaseModel("minilm-l6")
                .setCreatedAt(T.plusSeconds(40)).build();
        assertFalse(Supersession.supersedes(otherBase, a), "a member on another base is of another kind");
        TrainingJob sameTime = job("default-000000-z", 0, r(0, 0, 11));
        assertFalse(Supersession.supersedes(a, sameTime), "fewer labels never supersede");
        assertFalse(Supersession.supersedes(sameTime, a), "created at the same time: the id orders them, a is newer");
    }

    /**
     * Random jobs (windows and growing ranges, shared creation times): each skipped job's chain of named
     * superseders ends in a job that runs, and that job holds every label of the skipped one.
     */
    @Test
    void everySkippedJobsLabelsEndUpInAJobThatRuns() {
        Random random = new Random(5);
        for (int round = 0; round < 200; round++) {
            List<TrainingJob> jobs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                long start = random.nextInt(3) * 10L;
                long end = start + 10 + random.nextInt(4) * 10L;
                jobs.add(job("default-" + round + "-" + i, random.nextInt(4), r(0, start, end)));
            }
            Map<TrainingJob, TrainingJob> namedBy = new HashMap<>();
            for (TrainingJob j : jobs) {
                Supersession.supersederOf(j, jobs).ifPresent(s -> namedBy.put(j, s));
            }
            for (TrainingJob skipped : namedBy.keySet()) {
                TrainingJob runs = skipped;
                for (int hops = 0; namedBy.containsKey(runs); hops++) {
                    assertTrue(hops < jobs.size(), "no cycle");
                    runs = namedBy.get(runs);
                }
                BitSet labels = bits(skipped);
                labels.andNot(bits(runs));
                assertTrue(labels.isEmpty(), skipped.getJobId() + " -> " + runs.getJobId() + " misses " + labels);
            }
            assertFalse(namedBy.keySet().containsAll(jobs), "some job runs");
        }
    }

    private static BitSet bits(TrainingJob j) {
        BitSet b = new BitSet();
        j.getRanges().forEach(x -> b.set((int) x.getStartOffset(), (int) x.getEndOffset()));
        return b;
    }
}
