package io.warmstream.scorer.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationBoardTest {

    @Test
    void eachVersionIsPairedAgainstTheVersionJudgedBeforeIt() {
        EvaluationBoard board = new EvaluationBoard();
        board.version(1, List.of(outcomes("gold-id", 1, 1, 0, 0), outcomes("gold-ood", 1, 0, 0, 0)));
        // v2 was withheld and never judged: v3 is paired against v1.
        board.version(3, List.of(outcomes("gold-id", 1, 1, 1, 0), outcomes("gold-ood", 0, 1, 0, 0)));

        assertTrue(board.changeOf(1).isEmpty(), "the first judged version has nothing to be paired with");
        Map<String, PairedChange> changes = board.changeOf(3);
        PairedChange id = changes.get("gold-id");
        assertEquals(1, id.against());
        // d = (0, 0, 1, 0): mean 0.25, sd sqrt((1 - 4 * 0.0625) / 3) = 0.5, se 0.5 / 2.
        assertEquals(0.25, id.difference(), 1e-12);
        assertEquals(0.25, id.standardError(), 1e-12);
        // d = (-1, 1, 0, 0): no change on average, but not without noise.
        PairedChange ood = changes.get("gold-ood");
        assertEquals(0.0, ood.difference(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3) / 2, ood.standardError(), 1e-12);
        assertEquals(0.75, board.forVersion(3).get("gold-id").accuracy(), 1e-12);
        assertTrue(board.changeOf(2).isEmpty(), "an unjudged version has no change");
    }

    private static TestSetOutcomes outcomes(String set, int... right) {
        boolean[] r = new boolean[right.length];
        for (int i = 0; i < right.length; i++) {
            r[i] = right[i] == 1;
        }
        return new TestSetOutcomes(set, r, 1);
    }
}
