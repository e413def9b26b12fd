package io.warmstream.merger.gate;

import io.warmstream.merger.guard.HoldoutSample;
import io.warmstream.merger.guard.PairRanker;
import io.warmstream.model.PreferencePair;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate across generations: a newer generation must beat the served version by more than k paired standard errors
 * (stricter than the same-generation rule, "not worse by more than k"), and an older one is never served.
 */
class GenerationSwitchTest {

    private static final Path SERVED = Path.of("/served");
    private static final Path EQUAL = Path.of("/equal");
    private static final Path BETTER = Path.of("/better");

    private final Map<Path, Set<String>> right = new HashMap<>();
    private final PairRanker scorer = (dir, pairs) -> {
        boolean[] out = new boolean[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = right.get(dir).contains(idOf(pairs.get(i)));
        }
        return out;
    };
    private final HoldoutSample sample = new HoldoutSample(1000, 100);

    GenerationSwitchTest() {
        for (int i = 0; i < 100; i++) {
            sample.add("id-" + i, "p", "good id-" + i, "bad id-" + i);
        }
        right.put(SERVED, ids(0, 70));  // 0.70
        right.put(EQUAL, ids(0, 70));   // 0.70: no difference
        right.put(BETTER, ids(0, 80));  // 0.80: 10 pairs won, none lost
    }

    private QualityGate gate(double k) {
        return new QualityGate(new GateSettings(true, k, 20), scorer);
    }

    private static QualityGate.ServedModel servedOfGeneration(int generation) {
        return new QualityGate.ServedModel(4, "sha-served", () -> SERVED, generation);
    }

    private static QualityGate.Candidate candidate(Path dir, int generation) {
        return new QualityGate.Candidate(dir, "sha-" + dir, null, generation);
    }

    @Test
    void aNewGenerationThatOnlyEqualsTheServedOneIsWithheldThoughTheSameGenerationWouldBeServed() {
        GateVerdict sameGeneration = gate(1.0).judge(sample.snapshot(), candidate(EQUAL, 0), servedOfGeneration(0));
        assertFalse(sameGeneration.withheld(), sameGeneration.detail());
        GateVerdict newGeneration = gate(1.0).judge(sample.snapshot(), candidate(EQUAL, 1), servedOfGeneration(0));
        assertTrue(newGeneration.compared());
        assertTrue(newGeneration.withheld(), newGeneration.detail());
        assertEquals(0.0, newGeneration.comparison().difference(), 1e-12);
        assertTrue(newGeneration.detail().contains("generation 1 against served generation 0"), newGeneration.detail());
    }

    @Test
    void aNewGenerationIsServedOnlyWhenItBeatsTheServedOneByMoreThanKStandardErrors() {
        // Differences +1 on 10 pairs, 0 on 90: mean 0.1, SE sqrt(9/99/100) = 0.0302.
        GateVerdict k1 = gate(1.0).judge(sample.snapshot(), candidate(BETTER, 1), servedOfGeneration(0));
        assertFalse(k1.withheld(), k1.detail());
        assertEquals(0.1, k1.comparison().difference(), 1e-12);
        assertEquals(4L, k1.comparedWith());
        // k = 4: 0.1 < 4 x 0.0302: not enough evidence to switch
        GateVerdict k4 = gate(4.0).judge(sample.snapshot(), candidate(BETTER, 1), servedOfGeneration(0));
        assertTrue(k4.withheld(), k4.detail());
    }

    @Test
    void aMemberOfASupersededGenerationIsNeverServedHoweverGood() {
        GateVerdict v = gate(1.0).judge(sample.snapshot(), candidate(BETTER, 0), servedOfGeneration(1));
        assertTrue(v.withheld());
        assertFalse(v.compared());
        assertTrue(v.detail().startsWith("superseded generation"), v.detail());
    }

    @Test
    void aNewGenerationThatCannotBeComparedIsWithheld() {
        QualityGate needsMore = new QualityGate(new GateSettings(true, 1.0, 500), scorer);
        GateVerdict v = needsMore.judge(sample.snapshot(), candidate(BETTER, 1), servedOfGeneration(0));
        assertTrue(v.withheld(), v.detail());
        assertFalse(v.compared());
        // the same generation is let through when it cannot be compared
        assertFalse(needsMore.judge(sample.snapshot(), candidate(BETTER, 0), servedOfGeneration(0)).withheld());
    }

    private static Set<String> ids(int from, int to) {
        Set<String> s = new HashSet<>();
        for (int i = from; i < to; i++) {
            s.add("id-" + i);
        }
        return s;
    }

    private static String idOf(PreferencePair p) {
        return p.chosen().substring("good ".length());
    }
}
