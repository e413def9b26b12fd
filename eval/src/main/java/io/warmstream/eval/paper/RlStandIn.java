package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults.Rl;
import io.warmstream.eval.report.PaperResults.RlLevel;
import io.warmstream.eval.report.PaperResults.RlPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's RL experiment, stood in for without a generator: each proxy reward model (best single RM, ENS, WARM)
 * defines the KL-regularised optimal policy over the best-of-N candidate pool ({@link TiltedPolicy}), the policies
 * are compared at the same KL from the base policy (each proxy gets its own beta, since the proxies' reward scales
 * differ), and the gold reward judges them, as the paper's larger control RM does. Reported: gold reward against KL
 * for the three proxies, and the win rate of WARM's policy over the best single RM's (the paper: 79.4% for M = 6)
 * with a 95% percentile-bootstrap interval over prompts (and training seeds).
 */
final class RlStandIn {

    /** The paper's headline: WARM (M = 6) against the best single RM after RL, judged by the control RM. */
    static final double PAPER_WIN_RATE = 0.794;

    /** KL values of the curve, as shares of the largest possible KL (log K). */
    static final double[] CURVE_SHARES = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    static final String METHOD = "pi proportional to base x exp(r / beta) over each prompt's candidate pool (the "
            + "optimum of E[r] - beta KL); one beta per proxy, found so that the mean KL over prompts is the same for "
            + "every proxy; gold reward as the judge; win rate = P(gold of WARM's sample > gold of the other's), ties "
            + "half; 95% percentile bootstrap over prompts (and training seeds)";

    private RlStandIn() {
    }

    /** Per prompt, at one KL: each proxy's expected gold and WARM's win rates (the claims' item vectors). */
    record AtKl(double kl, double[] single, double[] ens, double[] warm, double[] warmWinsVsSingle,
                double[] warmWinsVsEns) {
    }

    static AtKl at(double[][] gold, double[][] single, double[][] ens, double[][] warm, double kl) {
        double[][] ps = policies(single, kl);
        double[][] pe = policies(ens, kl);
        double[][] pw = policies(warm, kl);
        int t = gold.length;
        double[] gs = new double[t];
        double[] ge = new double[t];
        double[] gw = new double[t];
        double[] ws = new double[t];
        double[] we = new double[t];
        for (int i = 0; i < t; i++) {
            gs[i] = TiltedPolicy.expected(ps[i], gold[i]);
            ge[i] = TiltedPolicy.expected(pe[i], gold[i]);
            gw[i] = TiltedPolicy.expected(pw[i], gold[i]);
            ws[i] = TiltedPolicy.winRate(pw[i], ps[i], gold[i]);
            we[i] = TiltedPolicy.winRate(pw[i], pe[i], gold[i]);
        }
        return new AtKl(kl, gs, ge, gw, ws, we);
    }

    /** The proxies of one run (a noise level of a training seed) at one KL, on the in-distribution pool. */
    static AtKl at(NoiseExperiment.Raw r, double[][] gold, double kl) {
        return at(r, gold, kl, false);
    }

    /** As {@link #at(NoiseExperiment.Raw, double[][], double)}; {@code shifted}: on the shifted policy's pool. */
    static AtKl at(NoiseExperiment.Raw r, double[][] gold, double kl, boolean shifted) {
        int best = NoiseAnalysis.bestSingle(r.memberSelection());
        if (shifted) {
            return at(gold, BestOfN.toDouble(r.shiftedPoolMembers().get(best)),
                    BestOfN.toDouble(NoiseAnalysis.meanPool(r.shiftedPoolMembers())),
                    BestOfN.toDouble(r.shiftedPoolWarm()), kl);
        }
        ModelScores single = r.members().get(best);
        ModelScores ens = ModelScores.mean("ens", r.members());
        ModelScores warm = r.warm().get(r.warm().size() - 1);
        return at(gold, BestOfN.toDouble(single.bestOfN()), BestOfN.toDouble(ens.bestOfN()),
                BestOfN.toDouble(warm.bestOfN()), kl);
    }

    /**
     * The report's {@code rl} object: every noise level's curve and matched-KL win rates, pooled over training
     * seeds; the headline is the first (lowest) noise level at the settings' {@code rlKl}.
     */
    static Rl analyse(EvalSettings s, EvalData data, List<List<NoiseExperiment.Raw>> runs) {
        List<RlLevel> levels = levels(s, data.pool(), runs, false);
        List<RlLevel> shifted = data.shiftedPool() == null ? null : levels(s, data.shiftedPool(), runs, true);
        RlLevel first = levels.get(0);
        return new Rl(first.winRateVsBestSingle(), first.winRateVsBestSingleCiLow(),
                first.winRateVsBestSingleCiHigh(), s.rlKl(), first.level(), PAPER_WIN_RATE, runs.size(),
                data.pool().tasks(), data.pool().perTask(), METHOD, levels, shifted);
    }

    private static List<RlLevel> levels(EvalSettings s, CandidatePool pool, List<List<NoiseExperiment.Raw>> runs,
                                        boolean shiftedPool) {
        double[][] gold = pool.gold();
        double maxKl = Math.log(pool.perTask());
        List<RlLevel> levels = new ArrayList<>();
        int count = runs.get(0).size();
        for (int l = 0; l < count; l++) {
            long seed = s.seed() * 104_729L + l + (shiftedPool ? 50_000L : 0);
            List<AtKl> headline = new ArrayList<>();
            for (List<NoiseExperiment.Raw> seedRuns : runs) {
                headline.add(at(seedRuns.get(l), gold, s.rlKl(), shiftedPool));
            }
            double[] vsSingle = PairedBootstrap.interval(rows(headline, AtKl::warmWinsVsSingle), 0.05, seed);
            double[] vsEns = PairedBootstrap.interval(rows(headline, AtKl::warmWinsVsEns), 0.05, seed + 1);
            List<RlPoint> curve = new ArrayList<>();
            double base = baseGold(gold);
            for (double share : CURVE_SHARES) {
                double kl = share * maxKl;
                List<AtKl> atKl = new ArrayList<>();
                for (List<NoiseExperiment.Raw> seedRuns : runs) {
                    atKl.add(at(seedRuns.get(l), gold, kl, shiftedPool));
                }
                double[] single = PairedBootstrap.estimate(rows(atKl, AtKl::single), seed + 2);
                double[] ens = PairedBootstrap.estimate(rows(atKl, AtKl::ens), seed + 3);
                double[] warm = PairedBootstrap.estimate(rows(atKl, AtKl::warm), seed + 4);
                double[] wins = PairedBootstrap.estimate(rows(atKl, AtKl::warmWinsVsSingle), seed + 5);
                curve.add(new RlPoint(kl, base, single[0], single[1], ens[0], ens[1], warm[0], warm[1], wins[0],
                        wins[1]));
            }
            levels.add(new RlLevel(runs.get(0).get(l).flipFraction(), Claims.level(runs.get(0).get(l).flipFraction()),
                    s.rlKl(), vsSingle[0], vsSingle[1], vsSingle[2], vsEns[0], vsEns[1], vsEns[2], curve));
        }
        return levels;
    }

    /** The base policy's mean gold reward (uniform over every prompt's pool): the random baseline. */
    static double baseGold(double[][] gold) {
        double total = 0;
        for (double[] g : gold) {
            total += PerItem.average(g) / gold.length;
        }
        return total;
    }

    private static double[][] policies(double[][] reward, double kl) {
        double beta = TiltedPolicy.betaForKl(reward, kl);
        double[][] out = new double[reward.length][];
        for (int t = 0; t < reward.length; t++) {
            out[t] = TiltedPolicy.weights(reward[t], beta);
        }
        return out;
    }

    private static double[][] rows(List<AtKl> perSeed, java.util.function.Function<AtKl, double[]> f) {
        return perSeed.stream().map(f).toArray(double[][]::new);
    }
}
