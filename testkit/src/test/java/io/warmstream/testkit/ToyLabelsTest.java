package io.warmstream.testkit;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.model.PreferencePair;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyLabelsTest {

    private static final List<String> PRAISE = List.of("excellent", "wonderful", "great");

    @Test
    void theChosenReplyPraisesAndTheRejectedOneNeverDoes() {
        for (PreferencePair p : ToyLabels.pairs(200, 3)) {
            assertTrue(PRAISE.stream().anyMatch(p.chosen()::contains), p.toString());
            assertFalse(PRAISE.stream().anyMatch(p.rejected()::contains), p.toString());
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
