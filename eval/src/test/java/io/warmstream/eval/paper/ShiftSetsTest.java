package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Topic shift and policy shift as separate axes, with gold margins matched to the unshifted reference. */
class ShiftSetsTest {

    private static final PreferenceWorld WORLD = PreferenceWorld.create(WorldConfig.defaults());

    @Test
    void labelWithTheSplitsOwnShiftIsTheOrdinaryLabel() {
        for (Split split : List.of(Split.VALIDATION_ID, Split.OOD)) {
            for (long i = 0; i < 5; i++) {
                assertEquals(WORLD.label(split, i), WORLD.label(split, i, WORLD.shift(split)));
            }
        }
        // Seen topics answered by the shifted policy: same prompt, other responses.
        LabelledPair plain = WORLD.label(Split.VALIDATION_ID, 3);
        LabelledPair shifted = WORLD.label(Split.VALIDATION_ID, 3, 1.0);
        assertEquals(plain.prompt(), shifted.prompt());
        assertNotEquals(plain.chosen() + plain.rejected(), shifted.chosen() + shifted.rejected());
    }

    @Test
    void setsSeparateTopicsFromPolicyShiftAndMatchTheReferenceMargins() {
        List<ShiftSets.ShiftSet> sets = ShiftSets.build(WORLD, List.of(0.0, 1.0), 40);
        assertEquals(4, sets.size());
        ShiftSets.ShiftSet reference = sets.get(0);
        for (ShiftSets.ShiftSet s : sets) {
            assertEquals(40, s.pairs().size());
            assertDrawnFrom(s, s.topics().equals("seen") ? Split.VALIDATION_ID : Split.OOD);
            // Matched: the mean |margin| is within 0.05 of the reference's.
            assertEquals(reference.meanAbsGoldMargin(), s.meanAbsGoldMargin(), 0.05, s.name());
        }
        ShiftSets.ShiftSet unseenShifted = sets.get(3);
        assertEquals("unseen", unseenShifted.topics());
        assertEquals(1.0, unseenShifted.policyShift());
        // Matching moved it: before, the shifted policy's pairs had other margins.
        assertTrue(Math.abs(unseenShifted.unmatchedMeanAbsGoldMargin() - reference.meanAbsGoldMargin())
                > Math.abs(unseenShifted.meanAbsGoldMargin() - reference.meanAbsGoldMargin()), unseenShifted.toString());
    }

    @Test
    void greedyMatchingPicksTheNearestMarginsOnce() {
        List<LabelledPair> pool = WORLD.labels(Split.VALIDATION_ID, 60).toList();
        double[] margins = ShiftSets.absMargins(pool);
        double[] target = {margins[5], margins[17], margins[42]};
        List<LabelledPair> matched = ShiftSets.match(pool, target);
        assertEquals(3, matched.size());
        assertEquals(3, Set.copyOf(matched).size());
        double[] got = ShiftSets.absMargins(matched);
        java.util.Arrays.sort(got);
        double[] want = target.clone();
        java.util.Arrays.sort(want);
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 1e-12, "exact margins are available in the pool");
        }
    }

    /** The set's pairs are among the world's labels of that split (its topics) from a policy of that shift. */
    private static void assertDrawnFrom(ShiftSets.ShiftSet s, Split split) {
        List<LabelledPair> drawn = new java.util.ArrayList<>();
        for (int i = 0; i < ShiftSets.OVERDRAW * s.pairs().size(); i++) {
            drawn.add(WORLD.label(split, ShiftSets.FIRST_INDEX + i, s.policyShift()));
        }
        Set<String> chosen = drawn.stream().map(LabelledPair::chosen).collect(Collectors.toSet());
        assertTrue(chosen.containsAll(s.pairs().chosen()), s.name());
        Set<String> topics = drawn.stream().map(l -> l.metadata().get(LabelledPair.TOPIC)).collect(Collectors.toSet());
        assertTrue(Set.copyOf(WORLD.topics(split)).containsAll(topics), s.name());
    }
}
