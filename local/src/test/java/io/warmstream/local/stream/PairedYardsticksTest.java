package io.warmstream.local.stream;

import io.warmstream.local.feed.GoldTestSets;
import io.warmstream.scorer.evaluation.TestSetOutcomes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class PairedYardsticksTest {

    private static TestSetOutcomes set(String name, boolean... right) {
        return new TestSetOutcomes(name, right, 0);
    }

    @Test
    void differencesArePairedPerTestPairAndMissingYardsticksAreLeftOut() {
        List<TestSetOutcomes> fin = List.of(set(GoldTestSets.IN_DISTRIBUTION, true, true, true, false),
                set(GoldTestSets.OUT_OF_DISTRIBUTION, true, false, false, false));
        List<TestSetOutcomes> best = List.of(set(GoldTestSets.IN_DISTRIBUTION, true, true, false, false),
                set(GoldTestSets.OUT_OF_DISTRIBUTION, true, false, false, false));

        Map<String, Object> m = PairedYardsticks.compare(fin, best, null);

        // in distribution: differences 0, 0, 1, 0: mean 0.25, sd sqrt(0.25) = 0.5, se 0.5 / 2
        assertEquals(0.25, (Double) m.get("final_minus_best_single_gold_id"), 1e-12);
        assertEquals(0.25, (Double) m.get("final_minus_best_single_gold_id_se"), 1e-12);
        assertEquals(0.0, (Double) m.get("final_minus_best_single_gold_ood"), 1e-12);
        assertEquals(0.0, (Double) m.get("final_minus_best_single_gold_ood_se"), 1e-12);
        assertFalse(m.containsKey("final_minus_all_labels_model_gold_id"));
        assertEquals(4, m.size());
    }
}
