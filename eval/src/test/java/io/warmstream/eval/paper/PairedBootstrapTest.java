package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    /** The bootstrap SE of a mean converges to the plug-in SE sqrt(sum (d - mean)^2 / n) / sqrt(n). */
    @Test
    void oneSeedMatchesThePlugInStandardErrorOfTheMean() {
        Random random = new Random(1);
        double[] d = new double[320];
        for (int i = 0; i < d.length; i++) {
            // A paired 0/1 comparison: -1, 0 or +1 per item.
            d[i] = random.nextInt(3) - 1;
        }
        double mean = 0;
        for (double x : d) {
            mean += x / d.length;
        }
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double closedForm = Math.sqrt(ss / d.length) / Math.sqrt(d.length);
        double[] est = PairedBootstrap.estimate(PairedBootstrap.single(d), 20000, 5);
        assertEquals(mean, est[0], 1e-12);
        assertEquals(closedForm, est[1], 0.02 * closedForm);
    }

    /** Items that never differ carry no error: only the seeds do, and their SE is the plug-in SE over seeds. */
    @Test
    void seedsAloneGiveThePlugInStandardErrorOverSeeds() {
        double[] perSeed = {0.02, -0.01, 0.05, 0.00};
        double[][] d = new double[perSeed.length][50];
        for (int k = 0; k < perSeed.length; k++) {
            java.util.Arrays.fill(d[k], perSeed[k]);
        }
        double mean = (0.02 - 0.01 + 0.05 + 0.00) / 4;
        double ss = 0;
        for (double x : perSeed) {
            ss += (x - mean) * (x - mean);
        }
        double closedForm = Math.sqrt(ss / 4) / 2;
        double[] est = PairedBootstrap.estimate(d, 20000, 9);
        assertEquals(mean, est[0], 1e-12);
        assertEquals(closedForm, est[1], 0.03 * closedForm);
    }

    @Test
    void identicalModelsHaveZeroErrorAndAConstantShiftHasNoneEither() {
        assertArrayEquals(new double[] {0, 0}, PairedBootstrap.estimate(new double[][] {new double[100]}, 7), 0);
        double[] shift = new double[100];
        java.util.Arrays.fill(shift, 0.1);
        double[] est = PairedBootstrap.estimate(new double[][] {shift, shift, shift}, 7);
        assertEquals(0.1, est[0], 1e-12);
        assertEquals(0.0, est[1], 1e-12);
    }

    /** Pairing: two models that share most of their errors differ far less than their separate SEs suggest. */
    @Test
    void pairingRemovesTheSharedVariance() {
        Random random = new Random(3);
        int n = 400;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextDouble() < 0.7 ? 1 : 0;
            b[i] = random.nextDouble() < 0.05 ? 1 - a[i] : a[i]; // b agrees with a on 95% of items
        }
        double[] paired = PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(a, b)), 3);
        double unpaired = Math.sqrt(2 * 0.7 * 0.3 / n);
        assertTrue(paired[1] < unpaired / 2, paired[1] + " vs " + unpaired);
        // Disagreements on 5% of items, each +-1: SE about sqrt(0.05 / n).
        assertEquals(Math.sqrt(0.05 / n), paired[1], 0.35 * Math.sqrt(0.05 / n));
    }

    @Test
    void sameInputAndSeedGiveTheSameError() {
        double[][] d = {{1, 0, -1, 0, 1}, {0, 0, 1, 1, -1}};
        assertArrayEquals(PairedBootstrap.estimate(d, 42), PairedBootstrap.estimate(d, 42), 0);
        assertTrue(Double.isNaN(PairedBootstrap.estimate(new double[][] {{0.5}}, 1)[1]));
    }
}
