package io.warmstream.local.stream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamStatisticsTest {

    @Test
    void spearmanOfMonotoneSeriesIsOneAndOfReversedIsMinusOne() {
        double[] labels = {100, 200, 400, 800, 1600};
        assertEquals(1.0, StreamStatistics.spearman(labels, new double[] {0.6, 0.61, 0.7, 0.71, 0.9}), 1e-12);
        assertEquals(-1.0, StreamStatistics.spearman(labels, new double[] {0.9, 0.8, 0.7, 0.6, 0.5}), 1e-12);
        assertTrue(Double.isNaN(StreamStatistics.spearman(new double[] {1, 2}, new double[] {1, 2})), "too few points");
    }

    @Test
    void spearmanMatchesAHandComputationWithTies() {
        // ranks x: 1 2 3 4; ranks y (0.7 twice -> 2.5 each): 1 2.5 2.5 4; Pearson of those ranks:
        double[] rx = {1, 2, 3, 4};
        double[] ry = {1, 2.5, 2.5, 4};
        assertArrayEquals(ry, StreamStatistics.ranks(new double[] {0.6, 0.7, 0.7, 0.8}), 1e-12);
        double expected = StreamStatistics.pearson(rx, ry);
        assertEquals(0.9486832980505138, expected, 1e-12); // 4.5 / sqrt(5 * 4.5)
        assertEquals(expected, StreamStatistics.spearman(new double[] {1, 2, 3, 4}, new double[] {0.6, 0.7, 0.7, 0.8}), 1e-12);
    }

    @Test
    void maxDropIsInUnitsOfTheLargerStandardErrorAndZeroWhenNothingDrops() {
        assertEquals(0.0, StreamStatistics.maxDropInSe(List.of(new double[] {0.6, 0.01}, new double[] {0.7, 0.01})));
        double drop = StreamStatistics.maxDropInSe(List.of(new double[] {0.70, 0.010}, new double[] {0.68, 0.0125},
                new double[] {0.75, 0.01}));
        assertEquals(0.02 / 0.0125, drop, 1e-12);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(0.7, StreamStatistics.median(new double[] {0.9, 0.7, 0.6}), 1e-12);
        assertEquals(0.65, StreamStatistics.median(new double[] {0.9, 0.7, 0.6, 0.5}), 1e-12);
    }
}
