package io.warmstream.testkit;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.model.PreferencePair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyLabelsTest {

    @Test
    void theChosenReplySaysGreatAndTheRejectedOneNeverDoes() {
        for (PreferencePair p : ToyLabels.pairs(200, 3)) {
            assertTrue(p.chosen().contains("great"), p.toString());
            assertFalse(p.rejected().contains("great"), p.toString());
        }
    }

    @Test
    void labelsAreTheSamePairsUnderNumberedIds() {
        List<PreferenceLabel> labels = ToyLabels.labels("l-", 20, 5);
        List<PreferencePair> pairs = ToyLabels.pairs(20, 5);
        assertEquals("l-0", labels.get(0).getId());
        assertEquals("l-19", labels.get(19).getId());
        for (int i = 0; i < labels.size(); i++) {
            assertEquals(pairs.get(i), ToyLabels.pair(labels.get(i)));
        }
    }
}
