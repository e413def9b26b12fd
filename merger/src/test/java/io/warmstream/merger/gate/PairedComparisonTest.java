package io.warmstream.merger.gate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The paired statistics against hand computations. */
class PairedComparisonTest {

    /**
     * Ten pairs. Candidate right on 1,2,4,7,9,10 (6 of 10); served right on 1-5,7-9 (8 of 10).
     * Differences c - s: 0,0,-1,0,-1,0,0,-1,0,+1: sum -2, sum of squares 4, mean -0.2.
     * Sample variance (4 - (-2)^2/10) / 9 = 3.6 / 9 = 0.4; SE = sqrt(0.4 / 10) = 0.2.
     * Candidate accuracy 0.6, its SE sqrt(0.6 * 0.4 / 10) = sqrt(0.024) = 0.154919...
     */
    private static final boolean[] CANDIDATE = bits("1101001011");
    private static final boolean[] SERVED = bits("1111101110");

    @Test
    void meanDifferenceAndItsStandardErrorAsComputedByHand() {
        PairedComparison c = PairedComparison.of(CANDIDATE, SERVED);
        assertEquals(10, c.n());
        assertEquals(0.6, c.candidateAccuracy(), 1e-12);
        assertEquals(0.8, c.servedAccuracy(), 1e-12);
        assertEquals(-0.2, c.difference(), 1e-12);
        assertEquals(0.2, c.differenceStandardError(), 1e-12);
        assertEquals(Math.sqrt(0.024), c.candidateStandardError(), 1e-12);
        assertEquals(0.15491933384829668, c.candidateStandardError(), 1e-12);
    }

    @Test
    void worseBeyondKStandardErrors() {
        PairedComparison c = PairedComparison.of(CANDIDATE, SERVED);
        assertTrue(c.worseBeyond(0.9), "-0.2 < -0.18");
        assertFalse(c.worseBeyond(1.1), "-0.2 > -0.22");
        assertFalse(PairedComparison.of(SERVED, CANDIDATE).worseBeyond(0), "+0.2 is better, never worse");
    }

    @Test
    void identicalResultsAreNotWorseAndUniformLossIs() {
        PairedComparison same = PairedComparison.of(SERVED, SERVED);
        assertEquals(0, same.difference());
        assertEquals(0, same.differenceStandardError());
        assertFalse(same.worseBeyond(1));
        // Every pair flips from right to wrong: difference -1, no spread at all, SE 0: worse.
        PairedComparison flipped = PairedComparison.of(bits("0000"), bits("1111"));
        assertEquals(-1, flipped.difference());
        assertEquals(0, flipped.differenceStandardError());
        assertTrue(flipped.worseBeyond(1));
    }

    @Test
    void accuracyStandardErrorIsBinomial() {
        // sqrt(0.9 * 0.1 / 100) = sqrt(0.0009) = 0.03
        assertEquals(0.03, PairedComparison.accuracyStandardError(0.9, 100), 1e-12);
        assertEquals(0, PairedComparison.accuracyStandardError(1.0, 50));
        assertTrue(Double.isNaN(PairedComparison.accuracyStandardError(0.5, 0)));
    }

    @Test
    void onePairHasNoStandardErrorAndMismatchedInputsAreRefused() {
        PairedComparison one = PairedComparison.of(bits("0"), bits("1"));
        assertTrue(Double.isNaN(one.differenceStandardError()));
        assertFalse(one.worseBeyond(1), "no standard error, no verdict");
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(bits("01"), bits("1")));
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.of(new boolean[0], new boolean[0]));
    }

    private static boolean[] bits(String s) {
        boolean[] out = new boolean[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.charAt(i) == '1';
        }
        return out;
    }
}
