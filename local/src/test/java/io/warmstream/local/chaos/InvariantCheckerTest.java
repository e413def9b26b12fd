package io.warmstream.local.chaos;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker on hand-made histories: a clean one holds everything, each planted fault breaks exactly its invariant. */
class InvariantCheckerTest {

    private static final ChaosHistory.Version V1 = new ChaosHistory.Version("default", 1, List.of("j1"), null);
    private static final ChaosHistory.Version V2 = new ChaosHistory.Version("default", 2, List.of("j1", "j2"), null);

    private static ChaosHistory clean() {
        return new ChaosHistory(List.of("a", "b", "c"), List.of("a", "b", "c", "d"), List.of("j1", "j2", "j3"),
                Map.of("j1", List.of("checkpoint"), "j2", List.of("checkpoint"), "j3", List.of("SKIPPED")),
                List.of("j1", "j2"), List.of(), List.of(V1, V2),
                List.of(new ChaosHistory.ScoringFailure(1_500, "scorer-1", "refused")),
                Map.of("scorer-1", List.of(new ChaosHistory.Window(1_000, 2_000))), List.of());
    }

    @Test
    void aCleanHistoryHoldsEveryInvariant() {
        InvariantChecker.Outcome o = InvariantChecker.check(clean());
        assertEquals(0, o.broken(), o.results().toString());
        assertEquals(8, o.results().size());
        assertEquals(0, o.labelsLost());
        assertEquals(0, o.scoringFailuresOutsideOwnKill());
    }

    @Test
    void aDuplicatedAndALostLabelBreakExactlyOnce() {
        ChaosHistory c = clean();
        ChaosHistory h = new ChaosHistory(List.of("a", "b", "c", "e"), List.of("a", "b", "b", "c"), c.jobIds(),
                c.jobEndings(), c.checkpointJobIds(), c.rejections(), c.versions(), c.scoringFailures(), c.scorerDown(),
                c.orphans());
        InvariantChecker.Outcome o = InvariantChecker.check(h);
        assertEquals(1, o.broken());
        assertEquals(1, o.labelsLost());
        assertEquals(1, o.labelsDuplicated());
        InvariantChecker.Result r = result(o, "labels_exactly_once");
        assertFalse(r.held());
        assertEquals(List.of("duplicated b x2", "lost e"), r.details());
    }

    @Test
    void aGapInVersionsAndARepeatedMemberAreBroken() {
        ChaosHistory c = clean();
        ChaosHistory.Version v4 = new ChaosHistory.Version("default", 4, List.of("j1", "j2", "j2"), null);
        ChaosHistory h = new ChaosHistory(c.acceptedLabelIds(), c.preferenceKeys(), c.jobIds(), c.jobEndings(),
                c.checkpointJobIds(), c.rejections(), List.of(V1, V2, v4), c.scoringFailures(), c.scorerDown(), c.orphans());
        InvariantChecker.Outcome o = InvariantChecker.check(h);
        assertEquals(List.of("default: version 4 follows 2"), result(o, "versions_contiguous").details());
        assertEquals(List.of("version 4 has j2 x2"), result(o, "members_once_per_version").details());
        assertEquals(1, o.membersDuplicated());
        assertEquals(2, o.broken());
    }

    @Test
    void jobsCheckpointsAndRejectionsMustEachEndOnce() {
        ChaosHistory c = clean();
        ChaosHistory h = new ChaosHistory(c.acceptedLabelIds(), c.preferenceKeys(), List.of("j1", "j2", "j3", "j4"),
                Map.of("j1", List.of("checkpoint"), "j2", List.of("checkpoint"), "j3", List.of("FAILED", "checkpoint")),
                List.of("j1", "j2", "j3"),
                List.of(new ChaosHistory.Rejection("j2", "UNREADABLE", "the checkpoint store cannot be reached"),
                        new ChaosHistory.Rejection("j3", "LOW_ACCURACY", "0.41 < 0.5")),
                c.versions(), c.scoringFailures(), c.scorerDown(), c.orphans());
        InvariantChecker.Outcome o = InvariantChecker.check(h);
        assertEquals(List.of("j3 ended [FAILED, checkpoint]", "j4 never ended"), result(o, "jobs_end_once").details());
        // j2 was folded (it is in version 2) and rejected too
        assertEquals(List.of("j2: 1 checkpoint(s), folded 1, rejected 1"),
                result(o, "checkpoints_folded_or_rejected_once").details());
        assertEquals(List.of("j2 UNREADABLE: the checkpoint store cannot be reached"),
                result(o, "no_rejection_for_an_outage").details());
        assertTrue(result(o, "labels_exactly_once").held());
    }

    @Test
    void scoringFailuresCountOnlyOutsideTheirOwnScorersDownWindow() {
        ChaosHistory c = clean();
        ChaosHistory h = new ChaosHistory(c.acceptedLabelIds(), c.preferenceKeys(), c.jobIds(), c.jobEndings(),
                c.checkpointJobIds(), c.rejections(), c.versions(),
                List.of(new ChaosHistory.ScoringFailure(1_500, "scorer-1", "refused"),
                        new ChaosHistory.ScoringFailure(1_500, "scorer-2", "HTTP 503"),
                        new ChaosHistory.ScoringFailure(2_500, "scorer-1", "refused")),
                c.scorerDown(), List.of("store/.tmp-v3-abc"));
        InvariantChecker.Outcome o = InvariantChecker.check(h);
        assertEquals(2, o.scoringFailuresOutsideOwnKill());
        assertFalse(result(o, "no_orphaned_files").held());
        assertEquals(2, o.broken());
    }

    private static InvariantChecker.Result result(InvariantChecker.Outcome o, String name) {
        return o.results().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }
}
