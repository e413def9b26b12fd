package io.warmstream.eval.paper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The RL stand-in's policy, KL, win rate and matched-KL comparison against closed forms. */
class RlStandInTest {

    private static final double[] GOLD = {0.0, 1.0, 2.0, 3.0};

    @Test
    void tiltingInterpolatesBetweenTheBasePolicyAndTheArgmax() {
        double[] flat = TiltedPolicy.weights(GOLD, 1e9);
        for (double p : flat) {
            assertEquals(0.25, p, 1e-9);
        }
        assertEquals(0.0, TiltedPolicy.kl(flat), 1e-9);
        assertEquals(1.5, TiltedPolicy.expected(flat, GOLD), 1e-6);
        double[] sharp = TiltedPolicy.weights(GOLD, 1e-3);
        assertEquals(1.0, sharp[3], 1e-12);
        assertEquals(Math.log(4), TiltedPolicy.kl(sharp), 1e-9);
        // beta = 1: weights e^r / sum e^r.
        double z = 1 + Math.E + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {1 / z, Math.E / z, Math.exp(2) / z, Math.exp(3) / z},
                TiltedPolicy.weights(GOLD, 1.0), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TiltedPolicy.weights(GOLD, 0));
    }

    @Test
    void noOverflowForLargeRewards() {
        double[] w = TiltedPolicy.weights(new double[] {1e4, 1e4 - 1}, 1e-2);
        assertEquals(1.0, w[0] + w[1], 1e-12);
        assertTrue(w[0] > 0.999);
    }

    @Test
    void winRateOfAPolicyAgainstItselfIsOneHalfAndTheTwoDirectionsSumToOne() {
        double[] a = {0.1, 0.2, 0.3, 0.4};
        double[] b = {0.4, 0.3, 0.2, 0.1};
        assertEquals(0.5, TiltedPolicy.winRate(a, a, GOLD), 1e-12);
        assertEquals(1.0, TiltedPolicy.winRate(a, b, GOLD) + TiltedPolicy.winRate(b, a, GOLD), 1e-12);
        // Always the best candidate against uniform: beats 3 of 4, ties 1 of 4.
        double[] best = {0, 0, 0, 1};
        double[] uniform = {0.25, 0.25, 0.25, 0.25};
        assertEquals(0.75 + 0.125, TiltedPolicy.winRate(best, uniform, GOLD), 1e-12);
    }

    @Test
    void betaIsFoundForTheTargetKlAveragedOverPrompts() {
        double[][] r = random(5, 64, 11);
        for (double target : new double[] {0.1, 1.0, 3.0}) {
            double beta = TiltedPolicy.betaForKl(r, target);
            assertEquals(target, TiltedPolicy.meanKl(r, beta), 1e-6);
        }
        assertThrows(IllegalArgumentException.class, () -> TiltedPolicy.betaForKl(r, 0));
    }

    @Test
    void atMatchedKlTheRewardScaleDoesNotMatter() {
        double[][] gold = random(6, 32, 3);
        double[][] proxy = noisy(gold, 1.0, 5);
        double[][] scaled = new double[proxy.length][];
        for (int t = 0; t < proxy.length; t++) {
            scaled[t] = proxy[t].clone();
            for (int k = 0; k < scaled[t].length; k++) {
                scaled[t][k] = 10 * scaled[t][k] + 3;
            }
        }
        RlStandIn.AtKl at = RlStandIn.at(gold, proxy, proxy, scaled, 1.0);
        for (int t = 0; t < gold.length; t++) {
            assertEquals(at.single()[t], at.warm()[t], 1e-6, "scaling and shifting a reward leaves its policy");
            assertEquals(0.5, at.warmWinsVsSingle()[t], 1e-6);
        }
    }

    @Test
    void aBetterProxyWinsAndReachesMoreGold() {
        double[][] gold = random(8, 64, 21);
        double[][] good = noisy(gold, 0.2, 1);
        double[][] bad = noisy(gold, 3.0, 2);
        RlStandIn.AtKl at = RlStandIn.at(gold, bad, bad, good, 2.0);
        assertTrue(PerItem.average(at.warmWinsVsSingle()) > 0.6, "win rate " + PerItem.average(at.warmWinsVsSingle()));
        assertTrue(PerItem.average(at.warm()) > PerItem.average(at.single()));
        assertTrue(PerItem.average(at.single()) > RlStandIn.baseGold(gold) - 0.2);
    }

    @Test
    void percentileIntervalSurroundsTheMeanAndCollapsesForConstants() {
        double[] constant = {0.7, 0.7, 0.7};
        double[] ci = PairedBootstrap.interval(PairedBootstrap.single(constant), 0.05, 1);
        assertEquals(0.7, ci[0], 1e-12);
        assertEquals(0.7, ci[1], 1e-12);
        assertEquals(0.7, ci[2], 1e-12);
        double[] bernoulli = new double[400];
        for (int i = 0; i < 300; i++) {
            bernoulli[i] = 1;
        }
        double[] b = PairedBootstrap.interval(PairedBootstrap.single(bernoulli), 0.05, 2);
        double se = Math.sqrt(0.75 * 0.25 / 400);
        assertEquals(0.75, b[0], 1e-12);
        assertEquals(0.75 - 1.96 * se, b[1], 0.006);
        assertEquals(0.75 + 1.96 * se, b[2], 0.006);
    }

    private static double[][] random(int tasks, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] out = new double[tasks][k];
        for (double[] row : out) {
            for (int i = 0; i < k; i++) {
                row[i] = r.nextGaussian();
            }
        }
        return out;
    }

    private static double[][] noisy(double[][] gold, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] out = new double[gold.length][];
        for (int t = 0; t < gold.length; t++) {
            out[t] = gold[t].clone();
            for (int k = 0; k < out[t].length; k++) {
                out[t][k] += noise * r.nextGaussian();
            }
        }
        return out;
    }
}
