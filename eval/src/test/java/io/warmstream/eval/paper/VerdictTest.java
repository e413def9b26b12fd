package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void holdsOnlyBeyondTwoStandardErrorsInThePapersDirection() {
        assertEquals(Verdict.HOLDS, Verdict.of(0.05, 0.02, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.03, 0.02, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.04, 0.02, 1), "exactly 2 SE does not decide");
        assertEquals(Verdict.CONTRADICTED, Verdict.of(-0.05, 0.02, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(-0.03, 0.02, 1));
    }

    @Test
    void aNegativeDirectionMirrorsTheVerdict() {
        assertEquals(Verdict.HOLDS, Verdict.of(-0.127, 0.03, -1));
        assertEquals(Verdict.CONTRADICTED, Verdict.of(0.127, 0.03, -1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.05, 0.03, -1));
    }

    @Test
    void aTieIsNoLongerAHold() {
        // What ">=" on point estimates called "holds": WARM 0.644 vs ENS 0.641, +0.003 +- 0.011.
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.003, 0.011, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.0, 0.011, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(Double.NaN, 0.01, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0.5, Double.NaN, 1));
    }

    @Test
    void zeroStandardErrorDecidesOnAnyNonZeroEffect() {
        assertEquals(Verdict.HOLDS, Verdict.of(1e-9, 0, 1));
        assertEquals(Verdict.INCONCLUSIVE, Verdict.of(0, 0, 1));
    }

    @Test
    void detectableEffectIsTwoPointEightFourStandardErrors() {
        assertEquals(2.8416 * 0.011, Verdict.minDetectableEffect(0.011), 1e-12);
        assertEquals(0.0, Verdict.minDetectableEffect(0), 0);
        // A true effect of exactly the MDE lands above the 2-SE threshold with probability 0.8 (normal estimate).
        double z = Verdict.DETECTABLE_SE - Verdict.THRESHOLD_SE;
        assertEquals(0.8, normalCdf(z), 1e-3);
    }

    @Test
    void refusesADirectionOtherThanPlusOrMinusOne() {
        assertThrows(IllegalArgumentException.class, () -> Verdict.of(0.1, 0.01, 0));
        assertThrows(IllegalArgumentException.class, () -> Verdict.of(0.1, 0.01, 2));
    }

    /** Abramowitz-Stegun 7.1.26, good to 1.5e-7. */
    private static double normalCdf(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
