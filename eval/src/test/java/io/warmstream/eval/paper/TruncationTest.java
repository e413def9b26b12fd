package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TruncationTest {

    @Test
    void shareAboveTheBudgetAndNearestRankPercentiles() {
        int[] lengths = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
        assertEquals(0.3, Truncation.shareAbove(lengths, 70), 1e-12);
        assertEquals(0.0, Truncation.shareAbove(lengths, 100), 1e-12);
        assertEquals(50, Truncation.percentile(lengths, 0.5));
        assertEquals(100, Truncation.percentile(lengths, 0.99));
        assertEquals(10, Truncation.percentile(lengths, 0.0));
        assertEquals(0, Truncation.percentile(new int[0], 0.5));
    }
}
