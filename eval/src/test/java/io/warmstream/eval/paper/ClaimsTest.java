package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.eval.report.PaperResults.Claim;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    /** WARM right on 80 of 100 items where ENS is right on 60 (ENS right => WARM right): +0.20, SE 0.04. */
    @Test
    void aClearPairedDifferenceHoldsWithItsEstimateAndDetectableEffect() {
        double[] warm = new double[100];
        double[] ens = new double[100];
        for (int i = 0; i < 100; i++) {
            warm[i] = i < 80 ? 1 : 0;
            ens[i] = i < 60 ? 1 : 0;
        }
        Claim c = Claims.decide(new Claims.Comparison("WARM beats ENS", "25% flipped", 1, "WARM", "ENS", "pairs",
                List.of(warm), List.of(ens)), 11);
        assertEquals(0.20, c.estimate(), 1e-12);
        double closedForm = Math.sqrt(0.2 * 0.8 / 100); // d is 0/1 with mean 0.2
        assertEquals(closedForm, c.se(), 0.06 * closedForm);
        assertEquals("holds", c.verdict());
        assertEquals(2.8416 * c.se(), c.minDetectableEffect(), 1e-12);
        assertEquals("WARM - ENS > 0", c.paperDirection());
        assertTrue(c.measured().startsWith("WARM 0.8000 vs ENS 0.6000; 100 pairs, 1 training seed"), c.measured());
    }

    @Test
    void aDifferenceAgainstThePaperIsContradictedAndATieIsInconclusive() {
        double[] warm = new double[200];
        double[] ens = new double[200];
        for (int i = 0; i < 200; i++) {
            warm[i] = i < 150 ? 1 : 0;
            ens[i] = i < 100 ? 1 : 0;
        }
        // The paper says WARM agrees less with flipped labels (direction -1); here it agrees more.
        Claim against = Claims.decide(new Claims.Comparison("memorises less", "25% flipped", -1, "WARM", "ENS",
                "flipped pairs", List.of(warm), List.of(ens)), 1);
        assertEquals("contradicted", against.verdict());
        assertEquals("WARM - ENS < 0", against.paperDirection());
        double[] tie = warm.clone();
        tie[0] = 0;
        tie[199] = 1;
        Claim inconclusive = Claims.decide(new Claims.Comparison("tie", "0% flipped", 1, "WARM", "ENS", "pairs",
                List.of(tie), List.of(warm)), 1);
        assertEquals(0.0, inconclusive.estimate(), 1e-12);
        assertEquals("inconclusive", inconclusive.verdict());
    }

    /** Three seeds: the estimate is the mean over seeds, and a seed-to-seed spread widens the error. */
    @Test
    void severalSeedsAverageAndWidenTheError() {
        double[] zero = new double[50];
        double[] one = new double[50];
        java.util.Arrays.fill(one, 1);
        double[] half = new double[50];
        for (int i = 0; i < 50; i++) {
            half[i] = i % 2;
        }
        Claim c = Claims.decide(new Claims.Comparison("x", "0% flipped", 1, "WARM", "ENS", "pairs",
                List.of(one, half, zero), List.of(zero, zero, half)), 3);
        assertEquals(1.0 / 3, c.estimate(), 1e-12);
        // Seeds' differences 1, 0.5, -0.5: the plug-in SE over seeds alone is 0.36.
        assertEquals(0.36, c.se(), 0.05, "the seeds disagree: SE " + c.se());
        assertEquals("inconclusive", c.verdict());
        assertTrue(c.measured().contains("3 training seeds"), c.measured());
    }
}
