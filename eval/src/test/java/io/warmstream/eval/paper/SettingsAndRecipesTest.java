package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import io.warmstream.model.Compute;
import io.warmstream.model.Precision;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsAndRecipesTest {

    @Test
    void parsesPresetOutSeedAndOverrides() {
        EvalSettings s = PaperChecks.parse(new String[] {"--preset", "tiny", "--out", "/tmp/x", "--seed", "9",
                "--members", "4", "--learning-rates", "1e-5,4e-5", "--keep-models", "true"});
        assertEquals("tiny", s.preset());
        assertEquals(Path.of("/tmp/x"), s.outDir());
        assertEquals(9L, s.seed());
        assertEquals(4, s.members());
        assertEquals(List.of(1e-5, 4e-5), s.learningRates());
        assertEquals(true, s.keepModels());
        assertEquals(List.of("--preset", "tiny", "--members", "4", "--learning-rates", "1.0E-5,4.0E-5", "--seed", "9",
                "--out", "/tmp/x", "--keep-models", "true"), PaperChecks.commandLine(s));
        assertEquals(s, PaperChecks.parse(PaperChecks.commandLine(s).toArray(String[]::new)));
        assertEquals("cpu", PaperChecks.parse(new String[0]).preset());
        assertNull(PaperChecks.parse(new String[] {"--help"}));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--bogus", "1"}));
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--members"}));
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--steps", "x"}));
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--preset", "huge"}));
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--max-n", "100"}));
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--flip-fractions", "0.7"}));
    }

    @Test
    void sixMembersCoverTheWholeGridInASeededOrder() {
        EvalSettings s = EvalSettings.cpu();
        List<MemberRecipe> recipes = MemberRecipe.draw(s);
        assertEquals(6, recipes.size());
        Set<List<Double>> combos = new HashSet<>();
        Set<Long> seeds = new HashSet<>();
        for (MemberRecipe r : recipes) {
            combos.add(List.of(r.learningRate(), r.dropout()));
            seeds.add(r.seed());
        }
        assertEquals(6, combos.size());
        assertEquals(6, seeds.size());
        assertEquals(recipes, MemberRecipe.draw(s));
        assertEquals(List.of(1, 2, 3, 4, 5, 6), recipes.stream().map(MemberRecipe::index).toList());
        List<MemberRecipe> other = MemberRecipe.draw(s.withSeed(8));
        assertEquals(6, other.stream().map(r -> List.of(r.learningRate(), r.dropout())).distinct().count());
    }

    @Test
    void anotherTrainingSeedGivesNewMemberSeedsOverTheSameGrid() {
        EvalSettings s = EvalSettings.cpu();
        assertEquals(MemberRecipe.draw(s), MemberRecipe.draw(s, 0));
        List<MemberRecipe> second = MemberRecipe.draw(s, 1);
        assertEquals(List.of(7101L, 7102L, 7103L, 7104L, 7105L, 7106L),
                second.stream().map(MemberRecipe::seed).toList());
        assertEquals(6, second.stream().map(r -> List.of(r.learningRate(), r.dropout())).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> MemberRecipe.draw(s, 100));
    }

    @Test
    void seedsAndSelectionPairsAreSettings() {
        EvalSettings s = PaperChecks.parse(new String[] {"--preset", "cpu", "--seeds", "3", "--selection-pairs",
                "200"});
        assertEquals(3, s.seeds());
        assertEquals(200, s.selectionPairs());
        assertEquals(List.of("--preset", "cpu", "--selection-pairs", "200", "--seeds", "3"),
                PaperChecks.commandLine(s));
        assertEquals(1, EvalSettings.cpu().seeds());
        assertEquals(3, EvalSettings.gpu().seeds());
        assertThrows(IllegalArgumentException.class, () -> PaperChecks.parse(new String[] {"--seeds", "0"}));
    }

    /** The gpu preset on a machine without a GPU says so before it measures its projection; other cases say nothing. */
    @Test
    void theGpuPresetWarnsWhenItFindsNoGpu() {
        assertTrue(PaperChecks.deviceAdvice("gpu", Compute.cpu()).orElseThrow()
                .contains("--preset cpu"));
        assertTrue(PaperChecks.deviceAdvice("cpu", Compute.cpu()).isEmpty());
        assertTrue(PaperChecks.deviceAdvice("gpu", new Compute(Device.gpu(),
                Precision.FP32)).isEmpty());
    }

    /** The best single member is chosen on pairs of its own: the selection set shares no pair with validation. */
    @Test
    void selectionPairsAreSeparateFromTheValidationPairs() {
        EvalData data = EvalData.build(EvalSettings.tiny());
        assertEquals(EvalSettings.tiny().selectionPairs(), data.selection().size());
        Set<String> validation = new HashSet<>();
        for (int i = 0; i < data.validation().size(); i++) {
            validation.add(data.validation().prompts().get(i) + data.validation().chosen().get(i)
                    + data.validation().rejected().get(i));
        }
        for (int i = 0; i < data.selection().size(); i++) {
            String pair = data.selection().prompts().get(i) + data.selection().chosen().get(i)
                    + data.selection().rejected().get(i);
            assertTrue(!validation.contains(pair), "selection pair " + i + " is also a validation pair");
        }
    }
}
