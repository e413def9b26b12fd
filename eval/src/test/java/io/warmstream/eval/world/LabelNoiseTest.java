package io.warmstream.eval.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelNoiseTest {

    private static double gold(LabelledPair label, String key) {
        return Double.parseDouble(label.metadata().get(key));
    }

    @Test
    void flipFractionIsAsConfiguredAndExactlyTheFlippedLabelsAreInverted() {
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.25).withTemperature(0));
        List<LabelledPair> labels = world.labels(Split.TRAIN, 10_000).toList();
        int flipped = 0;
        for (LabelledPair label : labels) {
            boolean isFlipped = Boolean.parseBoolean(label.metadata().get(LabelledPair.FLIPPED));
            double chosen = gold(label, LabelledPair.GOLD_CHOSEN);
            double rejected = gold(label, LabelledPair.GOLD_REJECTED);
            assertEquals(chosen - rejected, gold(label, LabelledPair.GOLD_MARGIN), 1e-12);
            assertTrue(Math.abs(chosen - rejected) >= 0.02, label.id());
            if (isFlipped) {
                flipped++;
                assertTrue(chosen < rejected, label.id());
            } else {
                assertTrue(chosen > rejected, label.id()); // temperature 0: only flips invert
            }
            assertEquals(1.0, label.confidence(), 0.0);
        }
        assertEquals(0.25, flipped / 10_000.0, 0.02);
    }

    @Test
    void flipsAreOnlyInjectedIntoTraining() {
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withFlipFraction(0.5).withTemperature(0));
        for (Split split : List.of(Split.VALIDATION_ID, Split.OOD)) {
            world.labels(split, 1000).forEach(label -> {
                assertEquals("false", label.metadata().get(LabelledPair.FLIPPED));
                assertTrue(gold(label, LabelledPair.GOLD_MARGIN) > 0);
            });
        }
    }

    @Test
    void withoutNoiseOrFlipsChosenAlwaysHasTheHigherGold() {
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withTemperature(0));
        for (Split split : Split.values()) {
            world.labels(split, 3000).forEach(label -> {
                assertTrue(gold(label, LabelledPair.GOLD_CHOSEN) > gold(label, LabelledPair.GOLD_REJECTED));
                assertEquals("false", label.metadata().get(LabelledPair.FLIPPED));
            });
        }
    }

    @Test
    void noisyLabellerAgreesWithGoldAsOftenAsBradleyTerryPredicts() {
        double temperature = 0.4;
        PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withTemperature(temperature));
        AiLabeller labeller = world.labeller();
        int n = 10_000;
        double expected = 0;
        int agreed = 0;
        for (LabelledPair label : world.labels(Split.VALIDATION_ID, n).toList()) {
            double margin = gold(label, LabelledPair.GOLD_MARGIN);
            double pCorrect = labeller.probabilityPrefers(Math.abs(margin), 0);
            expected += pCorrect;
            agreed += margin > 0 ? 1 : 0;
            // confidence is the labeller's probability for what it chose
            assertEquals(labeller.probabilityPrefers(margin, 0), label.confidence(), 1e-12);
        }
        double rate = (double) agreed / n;
        assertEquals(expected / n, rate, 0.015);
        assertTrue(rate < 0.97 && rate > 0.7, "noise is visible: " + rate);
    }

    @Test
    void bradleyTerryProbabilities() {
        AiLabeller labeller = new AiLabeller("x", 0.5);
        assertEquals(0.5, labeller.probabilityPrefers(1.0, 1.0), 1e-12);
        assertEquals(1 / (1 + Math.exp(-2.0)), labeller.probabilityPrefers(1.5, 0.5), 1e-12);
        assertEquals(1 - labeller.probabilityPrefers(1.5, 0.5), labeller.probabilityPrefers(0.5, 1.5), 1e-12);
        AiLabeller perfect = new AiLabeller("y", 0);
        assertEquals(1.0, perfect.probabilityPrefers(0.1, 0.0));
        assertEquals(0.0, perfect.probabilityPrefers(0.0, 0.1));
    }

    @Test
    void flippedLabelsLookLikeOrdinaryOnes() {
        CandidateProperties p = new CandidateProperties(0, 0, 0, 0, 0, 0, 0, 0, false, List.of(), List.of());
        Candidate better = new Candidate("better", 1.0, p);
        Candidate worse = new Candidate("worse", 0.5, p);
        AiLabeller labeller = new AiLabeller("x", 0.25);
        AiLabeller.Judgement judgement = labeller.judge(worse, better, true, new SplittableRandom(1));
        assertEquals(worse, judgement.chosen());
        assertEquals(better, judgement.rejected());
        assertEquals(labeller.probabilityPrefers(1.0, 0.5), judgement.confidence(), 1e-12);
        assertTrue(judgement.flipped());
    }
}
