package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
