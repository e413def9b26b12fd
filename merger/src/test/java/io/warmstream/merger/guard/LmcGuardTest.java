package io.warmstream.merger.guard;

import io.warmstream.merger.state.MemberInfo;
import io.warmstream.model.PreferencePair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard's decisions with a scorer that returns fixed accuracies per directory (the real one is in LmcGuardIntegrationTest). */
class LmcGuardTest {

    private final Map<Path, Double> accuracy = new HashMap<>();
    private final List<Path> scored = new ArrayList<>();
    private final PairRanker scorer = (dir, pairs) -> {
        scored.add(dir);
        return rankedRight(accuracy.get(dir), pairs.size());
    };

    /** The first accuracy * n pairs right, the rest wrong; accuracy * n must be whole. */
    static boolean[] rankedRight(double accuracy, int n) {
        long right = Math.round(accuracy * n);
        if (Math.abs(right - accuracy * n) > 1e-9) {
            throw new IllegalArgumentException(accuracy + " of " + n + " pairs is not a whole number of pairs");
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < right; i++) {
            out[i] = true;
        }
        return out;
    }

    private static HeldOutPairs sample(int n) {
        HoldoutSample s = new HoldoutSample(1000, 50);
        for (int i = 0; i < n; i++) {
            s.add("id-" + i, "p", "good " + i, "bad " + i);
        }
        return s.snapshot();
    }

    private static MemberInfo member(String job, Double holdout) {
        return new MemberInfo(job, "file:/m/" + job, job.repeat(64).substring(0, 64), 0.8, 1.0, holdout);
    }

    @Test
    void refusesACandidateWorseThanItsMembersByMoreThanTheMargin() {
        Path candidate = Path.of("/c");
        Path newMember = Path.of("/m/b");
        accuracy.put(candidate, 0.80);
        accuracy.put(newMember, 0.90);
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer);
        GuardVerdict v = guard.check(sample(20), candidate, "c".repeat(64), List.of(member("a", 0.92), member("b", null)),
                "b", m -> Path.of("/m/" + m.jobId()));
        assertTrue(v.ran());
        assertTrue(v.refused(), v.detail());
        assertEquals(0.91, v.membersMeanAccuracy(), 1e-12);
        assertEquals(0.80, v.candidateAccuracy());
        assertEquals(20, v.labels());
        assertEquals(0.90, v.members().get(1).holdoutAccuracy(), "the new member's score travels with it");
        assertEquals(List.of(newMember, candidate), scored, "member a was scored before; not again");
        assertEquals(16, countRight(v.candidateRankedRight()), "the candidate's per-pair results go to the gate");
    }

    @Test
    void withStandardErrorsADropWithinNoiseIsNotRefusedButACollapseIs() {
        Path candidate = Path.of("/c");
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer, 1.0);
        // 0.80 against members' 0.91 on 20 labels: below the margin (0.86), not by a standard error (0.110 more).
        accuracy.put(candidate, 0.80);
        GuardVerdict noise = guard.check(sample(20), candidate, "c".repeat(64),
                List.of(member("a", 0.92), member("b", 0.90)), "b", m -> Path.of("/m/" + m.jobId()));
        assertFalse(noise.refused(), noise.detail());
        assertTrue(noise.detail().contains("1.0 x standard error 0.1100"), noise.detail());
        // A collapse to chance is refused.
        accuracy.put(candidate, 0.50);
        GuardVerdict collapse = guard.check(sample(20), candidate, "e".repeat(64),
                List.of(member("a", 0.92), member("b", 0.90)), "b", m -> Path.of("/m/" + m.jobId()));
        assertTrue(collapse.refused(), collapse.detail());
        assertThrows(IllegalArgumentException.class, () -> new LmcGuard(true, 0.05, 10, scorer, -1));
    }

    @Test
    void aDeferredNewMemberIsScoredAfterPublicationAndCountsFromTheNextCheckpoint() {
        Path candidate = Path.of("/c");
        accuracy.put(candidate, 0.85);
        accuracy.put(Path.of("/m/b"), 0.70);
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer, 0, true);
        GuardVerdict first = guard.check(sample(20), candidate, "c".repeat(64),
                List.of(member("a", 0.90), member("b", null)), "b", m -> Path.of("/m/" + m.jobId()));
        assertEquals(List.of(candidate), scored, "only the candidate on the checkpoint's path");
        assertEquals(0.90, first.membersMeanAccuracy(), 1e-12, "the earlier members' mean");
        assertFalse(first.refused(), first.detail()); // 0.85 >= 0.90 - 0.05
        assertTrue(first.detail().contains("earlier members' mean"), first.detail());
        assertNull(first.members().get(1).holdoutAccuracy(), "not scored yet");
        assertEquals(1, guard.scoreDeferred(sample(20)));
        assertEquals(List.of(candidate, Path.of("/m/b")), scored);
        assertEquals(0, guard.scoreDeferred(sample(20)), "each member once");
        // The next checkpoint takes b's figure from the background and scores only its own models.
        scored.clear();
        accuracy.put(Path.of("/c2"), 0.80);
        accuracy.put(Path.of("/m/x"), 0.80);
        GuardVerdict next = guard.check(sample(20), Path.of("/c2"), "d".repeat(64),
                List.of(member("a", 0.90), member("b", null), member("x", null)), "x",
                m -> Path.of("/m/" + m.jobId()));
        assertEquals(List.of(Path.of("/c2")), scored);
        assertEquals(0.70, next.members().get(1).holdoutAccuracy(), 1e-12, "b's figure travels with it now");
        assertEquals(0.80, next.membersMeanAccuracy(), 1e-12);
    }

    @Test
    void membersFoldedBeforeTheSampleWasLargeEnoughAreScoredInTheBackground() {
        accuracy.put(Path.of("/m/a"), 0.80);
        accuracy.put(Path.of("/c"), 0.85);
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer, 0, true);
        List<MemberInfo> unscored = List.of(member("a", null), member("gone", null));
        guard.deferUnscored(unscored, m -> {
            if (m.jobId().equals("gone")) {
                throw new IllegalStateException("not in the store");
            }
            return Path.of("/m/" + m.jobId());
        });
        assertEquals(1, guard.scoreDeferred(sample(20)));
        guard.deferUnscored(unscored, m -> Path.of("/m/" + m.jobId()));
        accuracy.put(Path.of("/m/gone"), 0.70);
        accuracy.put(Path.of("/m/broken"), null); // scoring it fails: not retried in the background
        guard.deferUnscored(List.of(member("broken", null)), m -> Path.of("/m/broken"));
        assertEquals(1, guard.scoreDeferred(sample(20)), "gone is found now; broken fails");
        guard.deferUnscored(List.of(member("broken", null)), m -> {
            throw new AssertionError("a failed member is not fetched from the store again");
        });
        assertEquals(0, guard.scoreDeferred(sample(20)), "a failed member is left to the guard's own path");
        scored.clear();
        GuardVerdict v = guard.check(sample(20), Path.of("/c"), "c".repeat(64),
                List.of(member("a", null), member("gone", null), member("new", null)), "new",
                m -> Path.of("/m/" + m.jobId()));
        assertEquals(List.of(Path.of("/c")), scored, "earlier members from the background, the new one deferred");
        assertEquals(0.75, v.membersMeanAccuracy(), 1e-12);
        assertEquals(0.80, v.members().get(0).holdoutAccuracy(), 1e-12);
    }

    @Test
    void belowTheEarlierMembersBarTheNewMemberIsScoredFirstAndTheFullRuleDecides() {
        accuracy.put(Path.of("/m/new"), 0.50);
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer, 0, true);
        // A weak member of the same initialisation: 0.66 is below the earlier members' 0.80 - 0.05, but not below
        // the mean with the new member, (0.80 + 0.80 + 0.50) / 3 - 0.05 = 0.65: the full rule passes it.
        accuracy.put(Path.of("/c"), 0.66);
        GuardVerdict weak = guard.check(sample(100), Path.of("/c"), "c".repeat(64),
                List.of(member("a", 0.80), member("b", 0.80), member("new", null)), "new",
                m -> Path.of("/m/" + m.jobId()));
        assertEquals(List.of(Path.of("/c"), Path.of("/m/new")), scored);
        assertFalse(weak.refused(), weak.detail());
        assertEquals(0.70, weak.membersMeanAccuracy(), 1e-12);
        assertEquals(0.50, weak.members().get(2).holdoutAccuracy(), 1e-12);
        assertEquals(0, guard.scoreDeferred(sample(100)), "nothing left for the background");
        // A member from another initialisation: the average collapsed towards chance, refused by the full rule.
        scored.clear();
        accuracy.put(Path.of("/c"), 0.30);
        GuardVerdict collapse = guard.check(sample(100), Path.of("/c"), "e".repeat(64),
                List.of(member("a", 0.80), member("b", 0.80), member("new", null)), "new",
                m -> Path.of("/m/" + m.jobId()));
        assertTrue(collapse.refused(), collapse.detail());
        assertEquals(List.of(Path.of("/c"), Path.of("/m/new")), scored);
    }

    @Test
    void passesWithinTheMarginAndScoresACandidateEqualToAMemberOnce() {
        Path m = Path.of("/m/a");
        accuracy.put(m, 0.9);
        LmcGuard guard = new LmcGuard(true, 0.05, 10, scorer);
        MemberInfo only = member("a", null);
        GuardVerdict v = guard.check(sample(20), Path.of("/c"), only.sha256(), List.of(only), "new", x -> m);
        assertFalse(v.refused());
        assertEquals(0.9, v.candidateAccuracy());
        assertEquals(List.of(m), scored);
    }

    @Test
    void skipsWithTooFewLabelsOrWhenDisabled() {
        GuardVerdict few = new LmcGuard(true, 0.05, 64, scorer)
                .check(sample(10), Path.of("/c"), "c".repeat(64), List.of(member("a", null)), "new", x -> Path.of("/m/a"));
        assertFalse(few.ran());
        assertFalse(few.refused());
        assertTrue(few.detail().contains("only 10 held-out labels, it needs 64"), few.detail());
        assertNull(few.candidateAccuracy());
        assertNull(few.candidateRankedRight());
        GuardVerdict off = new LmcGuard(false, 0.05, 1, scorer)
                .check(sample(10), Path.of("/c"), "c".repeat(64), List.of(member("a", null)), "new", x -> Path.of("/m/a"));
        assertFalse(off.ran());
        assertTrue(scored.isEmpty());
    }

    @Test
    void aMemberGoneFromTheStoreCountsWithItsTrainerAccuracy() {
        accuracy.put(Path.of("/c"), 0.79);
        LmcGuard guard = new LmcGuard(true, 0.0, 1, scorer);
        GuardVerdict v = guard.check(sample(100), Path.of("/c"), "c".repeat(64), List.of(member("gone", null)), "new", x -> {
            throw new IllegalStateException("no such model");
        });
        assertEquals(0.8, v.membersMeanAccuracy(), 1e-12);
        assertNull(v.members().get(0).holdoutAccuracy());
        assertTrue(v.refused(), "0.79 < 0.80 with margin 0");
    }

    @Test
    void membersWithNoAccuracyAtAllDoNotCount() {
        accuracy.put(Path.of("/c"), 0.7);
        MemberInfo unknown = new MemberInfo("u", "file:/m/u", "d".repeat(64), Double.NaN, 1.0, null);
        LmcGuard guard = new LmcGuard(true, 0.05, 1, scorer);
        GuardVerdict v = guard.check(sample(10), Path.of("/c"), "c".repeat(64), List.of(member("a", 0.9), unknown), "new", x -> {
            throw new IllegalStateException("gone");
        });
        assertEquals(0.9, v.membersMeanAccuracy(), 1e-12);
        assertTrue(v.refused());
        GuardVerdict none = guard.check(sample(10), Path.of("/c"), "c".repeat(64), List.of(unknown), "new", x -> {
            throw new IllegalStateException("gone");
        });
        assertTrue(Double.isNaN(none.membersMeanAccuracy()));
        assertFalse(none.refused(), "nothing to compare with");
    }

    @Test
    void aNewMemberOrCandidateThatCannotBeScoredIsReportedOlderOnesFallBack() {
        PairRanker broken = (dir, pairs) -> {
            if (dir.toString().contains("bad")) {
                throw new IllegalStateException("not a BERT config");
            }
            return rankedRight(0.9, pairs.size());
        };
        LmcGuard guard = new LmcGuard(true, 0.05, 1, broken);
        GuardVerdict v = guard.check(sample(10), Path.of("/c"), "c".repeat(64), List.of(member("old", null), member("new", null)),
                "new", m -> Path.of(m.jobId().equals("old") ? "/bad-old" : "/m/new"));
        assertEquals(0.85, v.membersMeanAccuracy(), 1e-12, "old member falls back to its trainer accuracy 0.8");
        UnscorableModelException e = org.junit.jupiter.api.Assertions.assertThrows(UnscorableModelException.class,
                () -> guard.check(sample(10), Path.of("/c"), "c".repeat(64), List.of(member("new", null)), "new", m -> Path.of("/bad-new")));
        assertEquals(Path.of("/bad-new"), e.dir());
    }

    @Test
    void theSampleKeepsTheNewestLabelsOncePerIdAndCutsLongTexts() {
        HoldoutSample s = new HoldoutSample(3, 5);
        s.add("a", "prompt!", "c", "r");
        s.add("b", "p", "c", "r");
        s.add("a", "p2", "c", "r");
        s.add("c", "p", "c", "r");
        s.add("d", "p", "c", "r");
        HeldOutPairs snapshot = s.snapshot();
        List<PreferencePair> pairs = snapshot.pairs();
        assertEquals(3, pairs.size());
        assertEquals(List.of("a", "c", "d"), snapshot.ids());
        assertEquals("p2", pairs.get(0).prompt(), "a was refreshed, so b is the eldest and left");
        s.add("e", "a very long prompt", "c", "r");
        assertEquals("a ver", s.snapshot().pairs().get(2).prompt());
    }

    private static int countRight(boolean[] right) {
        int n = 0;
        for (boolean r : right) {
            n += r ? 1 : 0;
        }
        return n;
    }
}
