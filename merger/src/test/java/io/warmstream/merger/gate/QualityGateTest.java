package io.warmstream.merger.gate;

import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.merger.guard.UnscorableModelException;
import io.warmstream.model.PreferencePair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate's decisions and its memory of the served version's results, with a scorer that knows which labels each
 * model directory ranks right (real models are in QualityGateIntegrationTest).
 */
class QualityGateTest {

    private static final Path SERVED = Path.of("/v1");
    private static final Path WORSE = Path.of("/v2");
    private static final Path EQUAL = Path.of("/v3");

    /** Label ids each model ranks right; the pair's chosen text is "good <id>". */
    private final Map<Path, Set<String>> right = new HashMap<>();
    /** (directory, pairs scored) of every scorer call. */
    private final List<String> calls = new ArrayList<>();
    private final PairRanker scorer = (dir, pairs) -> {
        calls.add(dir + ":" + pairs.size());
        boolean[] out = new boolean[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = right.get(dir).contains(idOf(pairs.get(i)));
        }
        return out;
    };
    private final HoldoutSample sample = new HoldoutSample(1000, 100);

    QualityGateTest() {
        for (int i = 0; i < 100; i++) {
            sample.add("id-" + i, "p", "good id-" + i, "bad id-" + i);
        }
        right.put(SERVED, ids(0, 80));          // 0.80
        right.put(WORSE, ids(0, 70));           // 0.70: 10 pairs lost, none won
        Set<String> equal = ids(0, 79);         // 0.80 too: one pair lost, one won
        equal.add("id-90");
        right.put(EQUAL, equal);
    }

    private QualityGate gate(double k) {
        return new QualityGate(new GateSettings(true, k, 20), scorer);
    }

    private static QualityGate.ServedModel served(Path dir) {
        return new QualityGate.ServedModel(1, "sha-" + dir, () -> dir);
    }

    private static QualityGate.Candidate candidate(Path dir) {
        return new QualityGate.Candidate(dir, "sha-" + dir, null);
    }

    @Test
    void withholdsACandidateWorseBeyondKPairedStandardErrors() {
        GateVerdict v = gate(1.0).judge(sample.snapshot(), candidate(WORSE), served(SERVED));
        // Differences: -1 on 10 pairs, 0 on 90. Mean -0.1; variance (10 - 100 * 0.01) / 99 = 9/99; SE sqrt(9/99/100).
        assertTrue(v.compared());
        assertTrue(v.withheld(), v.detail());
        assertEquals(1L, v.comparedWith());
        assertEquals(-0.1, v.comparison().difference(), 1e-12);
        assertEquals(Math.sqrt(9.0 / 99 / 100), v.comparison().differenceStandardError(), 1e-12);
        assertEquals(0.8, v.comparison().servedAccuracy(), 1e-12);
        assertEquals(0.7, v.comparison().candidateAccuracy(), 1e-12);
        assertTrue(v.detail().contains("withheld"), v.detail());
        // k = 4: -0.1 > -4 x 0.0302 = -0.1206: within the noise the gate tolerates, served.
        assertFalse(gate(4.0).judge(sample.snapshot(), candidate(WORSE), served(SERVED)).withheld());
    }

    @Test
    void servesACandidateThatIsNoWorse() {
        GateVerdict v = gate(1.0).judge(sample.snapshot(), candidate(EQUAL), served(SERVED));
        assertTrue(v.compared());
        assertFalse(v.withheld(), v.detail());
        assertEquals(0.0, v.comparison().difference(), 1e-12);
    }

    @Test
    void scoresTheServedVersionOncePerLabelAndRemembersAServedCandidate() {
        QualityGate gate = gate(1.0);
        gate.judge(sample.snapshot(), candidate(WORSE), served(SERVED));
        assertEquals(List.of("/v2:100", "/v1:100"), calls);
        gate.judge(sample.snapshot(), candidate(EQUAL), served(SERVED));
        assertEquals("/v3:100", calls.get(2), "the served version's results were remembered");
        assertEquals(3, calls.size());
        sample.add("id-100", "p", "good id-100", "bad id-100");
        right.get(EQUAL).add("id-100");
        right.get(WORSE).add("id-100");
        // EQUAL was served; the next candidate is compared with it: only the new label is scored for it.
        boolean[] fromGuard = scorer.rankedRight(WORSE, sample.snapshot().pairs());
        calls.clear();
        gate.judge(sample.snapshot(), new QualityGate.Candidate(WORSE, "sha-" + WORSE,
                fromGuard), served(EQUAL));
        assertEquals(List.of("/v3:1"), calls);
    }

    @Test
    void theBackgroundScoresTheServedVersionSoACheckpointDoesNotLoadIt() {
        QualityGate gate = new QualityGate(new GateSettings(true, 1.0, 20, 0.1), scorer);
        gate.prewarm(sample.snapshot(), served(SERVED));
        assertEquals(List.of("/v1:100"), calls, "scored in the background");
        // Four labels arrive after the background round: fewer than half the 10% it may leave out, so it waits.
        for (int i = 100; i < 104; i++) {
            sample.add("id-" + i, "p", "good id-" + i, "bad id-" + i);
        }
        gate.prewarm(sample.snapshot(), served(SERVED));
        assertEquals(1, calls.size(), "4 missing of 104 is under half of 10.4: no load for so few");
        calls.clear();
        GateVerdict v = gate.judge(sample.snapshot(), candidate(WORSE), served(SERVED));
        assertEquals(List.of("/v2:104"), calls, "only the candidate is scored on the checkpoint's path");
        assertEquals(100, v.comparison().n(), "the 4 labels the served version lacks are left out of the pairing");
        assertEquals(-0.1, v.comparison().difference(), 1e-12);
        assertTrue(v.detail().contains("0 of them scored for it now; 4 newer ones left out"), v.detail());
        // Beyond the share, the checkpoint scores what is missing, as without the background.
        for (int i = 104; i < 130; i++) {
            sample.add("id-" + i, "p", "good id-" + i, "bad id-" + i);
        }
        calls.clear();
        GateVerdict all = gate.judge(sample.snapshot(), candidate(WORSE), served(SERVED));
        assertEquals(List.of("/v2:130", "/v1:30"), calls);
        assertEquals(130, all.comparison().n());
    }

    @Test
    void aFailingBackgroundRoundLeavesTheWorkToTheCheckpoint() {
        QualityGate gate = new QualityGate(new GateSettings(true, 1.0, 20, 0.1), scorer);
        gate.prewarm(sample.snapshot(), new QualityGate.ServedModel(1, "sha-gone", () -> {
            throw new IllegalStateException("store unreachable");
        }));
        gate.prewarm(sample.snapshot(), null);
        assertTrue(calls.isEmpty());
        GateVerdict v = gate.judge(sample.snapshot(), candidate(WORSE), served(SERVED));
        assertEquals(List.of("/v2:100", "/v1:100"), calls);
        assertTrue(v.withheld(), v.detail());
        assertThrows(IllegalArgumentException.class, () -> new GateSettings(true, 1, 20, 1.0));
    }

    @Test
    void scoresTheCandidateItselfWhenTheGuardDidNot() {
        GateVerdict v = gate(1.0).judge(sample.snapshot(), candidate(EQUAL), served(SERVED));
        assertEquals(80, count(v.candidateRankedRight()));
        boolean[] fromGuard = new boolean[100];
        GateVerdict given = gate(1.0).judge(sample.snapshot(), new QualityGate.Candidate(EQUAL, "x", fromGuard),
                served(SERVED));
        assertEquals(0, count(given.candidateRankedRight()), "the guard's results are used as they are");
    }

    @Test
    void letsTheCandidateThroughWhenItCannotCompare() {
        HeldOutPairs pairs = sample.snapshot();
        GateVerdict off = new QualityGate(new GateSettings(false, 1, 20), scorer).judge(pairs, candidate(WORSE),
                served(SERVED));
        assertFalse(off.compared() || off.withheld());
        assertTrue(calls.isEmpty(), "a disabled gate scores nothing");
        GateVerdict few = new QualityGate(new GateSettings(true, 1, 101), scorer).judge(pairs, candidate(WORSE),
                served(SERVED));
        assertFalse(few.compared() || few.withheld());
        assertTrue(few.detail().contains("only 100 held-out labels, it needs 101"), few.detail());
        GateVerdict first = gate(1).judge(pairs, candidate(WORSE), null);
        assertFalse(first.compared() || first.withheld());
        assertEquals(70, count(first.candidateRankedRight()), "scored anyway: its accuracy is recorded");
        GateVerdict gone = gate(1).judge(pairs, candidate(WORSE), new QualityGate.ServedModel(1, "gone", () -> {
            throw new IllegalStateException("not in the store");
        }));
        assertFalse(gone.compared() || gone.withheld());
        assertTrue(gone.detail().contains("served version 1 cannot be scored"), gone.detail());
        assertNull(gone.comparison());
    }

    @Test
    void aCandidateThatCannotBeScoredIsReported() {
        UnscorableModelException e = assertThrows(UnscorableModelException.class, () -> gate(1).judge(
                sample.snapshot(), candidate(Path.of("/broken")), served(SERVED)));
        assertEquals(Path.of("/broken"), e.dir());
    }

    @Test
    void refusesSettingsItCouldNotDecideWith() {
        assertThrows(IllegalArgumentException.class, () -> new GateSettings(true, -1, 64));
        assertThrows(IllegalArgumentException.class, () -> new GateSettings(true, Double.NaN, 64));
        assertThrows(IllegalArgumentException.class, () -> new GateSettings(true, 1, 1));
    }

    private static Set<String> ids(int from, int to) {
        Set<String> out = new HashSet<>();
        for (int i = from; i < to; i++) {
            out.add("id-" + i);
        }
        return out;
    }

    private static String idOf(PreferencePair p) {
        return p.chosen().substring("good ".length());
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }
}
