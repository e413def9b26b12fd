package io.warmstream.trainer.plan;

import io.warmstream.events.Hyperparameters;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperparameterGridTest {

    @Test
    void drawsAreDeterministicAndCoverTheGrid() {
        HyperparameterGrid grid = HyperparameterGrid.paperDefaults();
        Set<List<Double>> seen = new HashSet<>();
        for (long seq = 1; seq <= 60; seq++) {
            long seed = JobIdentity.seed("default", seq, 0);
            Hyperparameters hp = grid.draw(seed);
            assertEquals(hp, grid.draw(seed));
            seen.add(List.of(hp.getLearningRate(), hp.getDropout()));
            assertEquals(Integer.valueOf(48), hp.getMaxSteps());
            assertEquals(2, hp.getTrainableLayers());
        }
        assertEquals(6, seen.size(), "60 draws hit all 3 x 2 combinations: " + seen);
        for (List<Double> combo : seen) {
            assertTrue(List.of(1e-5, 4e-5, 1e-4).contains(combo.get(0)));
            assertTrue(List.of(0.05, 0.1).contains(combo.get(1)));
        }
    }

    @Test
    void badGridsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new HyperparameterGrid(List.of(), List.of(0.1), 16, 128, 2, 1,
                null, 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new HyperparameterGrid(List.of(-1.0), List.of(0.1), 16, 128,
                2, 1, null, 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new HyperparameterGrid(List.of(1e-5), List.of(1.0), 16, 128,
                2, 1, null, 0, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new HyperparameterGrid(List.of(1e-5), List.of(0.1), 0, 128,
                2, 1, null, 0, 0, Map.of()));
    }

    @Test
    void averageNamesMustBeSafeInStoreKeys() {
        JobIdentity.requireAverageName("default");
        JobIdentity.requireAverageName("team-a.v2_x");
        for (String bad : new String[] {"", "../x", "a/b", " x", "-x", "a".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> JobIdentity.requireAverageName(bad), bad);
        }
    }
}
