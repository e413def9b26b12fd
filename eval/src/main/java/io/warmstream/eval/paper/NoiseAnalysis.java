package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults;

import io.warmstream.eval.report.SetMeasures;
import io.warmstream.eval.report.PaperResults.BestOfNPoint;
import io.warmstream.eval.report.PaperResults.ByM;
import io.warmstream.eval.report.PaperResults.Diversity;
import io.warmstream.eval.report.PaperResults.Interpolation;
import io.warmstream.eval.report.PaperResults.Member;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import io.warmstream.eval.report.PaperResults.PickProfile;
import io.warmstream.eval.world.CandidateProperties;
import io.warmstream.eval.report.PaperResults.Sanity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns one noise level's rewards into the paper's numbers. Pure: no model is touched here. Long because it holds
 * every measure of one level (accuracies, best single, interpolation, diversity, sanity), each a small static
 * function over the same scores.
 */
final class NoiseAnalysis {

    private NoiseAnalysis() {
    }

    static NoiseResult analyse(EvalSettings s, EvalData data, NoiseExperiment.Raw raw, List<MemberRecipe> recipes) {
        double flip = raw.flipFraction();
        PairSet checked = data.checked().get(flip);
        int m = raw.members().size();

        List<Member> members = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            Map<String, Object> facts = raw.memberFacts().get(i);
            MemberRecipe r = recipes.get(i);
            members.add(new Member(r.index(), r.seed(), r.learningRate(), r.dropout(), number(facts.get("final_loss")), number(facts.get("seconds")),
                    measures(raw.members().get(i), data, checked)));
        }
        int best = bestSingle(raw.memberSelection());

        List<ByM> byM = new ArrayList<>();
        for (int k = 1; k <= m; k++) {
            List<ModelScores> firstK = raw.members().subList(0, k);
            ModelScores ens = ModelScores.mean("ens-" + k, firstK);
            ModelScores warm = raw.warm().get(k - 1);
            List<SetMeasures> own = firstK.stream().map(x -> measures(x, data, checked)).toList();
            byM.add(new ByM(k, measures(ens, data, checked), measures(warm, data, checked), meanOf(own),
                    Measures.pairedDifference(Measures.goldCorrect(warm.ood(), data.ood()),
                            Measures.goldCorrect(ens.ood(), data.ood())),
                    Measures.pairedDifference(Measures.goldCorrect(warm.validation(), data.validation()),
                            Measures.goldCorrect(ens.validation(), data.validation()))));
        }

        ModelScores ensAll = ModelScores.mean("ens-" + m, raw.members());
        ModelScores warmAll = raw.warm().get(m - 1);
        List<BestOfNPoint> bestOfN = bestOfN(s, data.pool(), raw.members().get(best), ensAll, warmAll);

        return new NoiseResult(flip, data.training().get(flip).size(), data.training().get(flip).flippedCount(),
                checked.size(), raw.head(), measures(raw.lpOnly(), data, checked), members, best + 1, byM, bestOfN,
                interpolation(raw, data.interpolationSet(s.interpolationPairs()), data, checked), diversity(raw),
                sanity(raw), flippedPairsWrongStderr(raw, data, checked, ensAll, warmAll),
                raw.controls() == null ? null
                        : ControlsAnalysis.analyse(data, raw, s.seed() * 31 + Math.round(flip * 100)),
                ShiftAnalysis.shift(data, raw, best, s.seed() * 37 + Math.round(flip * 100)),
                data.shiftedPool() == null ? null : bestOfN(s, data.shiftedPool(),
                        poolOnly("single", raw.shiftedPoolMembers().get(best)),
                        poolOnly("ens", meanPool(raw.shiftedPoolMembers())), poolOnly("warm", raw.shiftedPoolWarm())));
    }

    /** Scores of a best-of-N pool alone (what {@link #bestOfN} reads). */
    static ModelScores poolOnly(String name, float[][] pool) {
        return new ModelScores(name, null, null, null, pool);
    }

    /** ENS on a pool: the members' rewards averaged candidate by candidate (in double). */
    static float[][] meanPool(List<float[][]> members) {
        float[][] first = members.get(0);
        float[][] out = new float[first.length][];
        for (int t = 0; t < first.length; t++) {
            out[t] = new float[first[t].length];
            for (int k = 0; k < first[t].length; k++) {
                double sum = 0;
                for (float[][] m : members) {
                    sum += m[t][k];
                }
                out[t][k] = (float) (sum / members.size());
            }
        }
        return out;
    }

    /**
     * Standard errors over the flipped pairs of the preference for the gold-worse answer (the memorisation plot's
     * bars): binomial for a single model, and for the members' mean the SE of the per-pair mean over members.
     */
    static Map<String, Double> flippedPairsWrongStderr(NoiseExperiment.Raw raw, EvalData data, PairSet checked,
                                                       ModelScores ens, ModelScores warm) {
        boolean[] mask = data.flipSubset();
        java.util.function.Function<ModelScores, double[]> wrong = m -> {
            double[] correct = PerItem.goldCorrect(m.train(), checked);
            double[] out = new double[PerItem.labelAgreement(m.train(), mask).length];
            int j = 0;
            for (int i = 0; i < correct.length; i++) {
                if (mask[i]) {
                    out[j++] = 1 - correct[i];
                }
            }
            return out;
        };
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        out.put("lpOnly", Measures.meanAndStderr(wrong.apply(raw.lpOnly()))[1]);
        out.put("meanMember", Measures.meanAndStderr(PerItem.mean(raw.members().stream().map(wrong).toList()))[1]);
        out.put("ens", Measures.meanAndStderr(wrong.apply(ens))[1]);
        out.put("warm", Measures.meanAndStderr(wrong.apply(warm))[1]);
        return out;
    }

    static SetMeasures measures(ModelScores s, EvalData data, PairSet checked) {
        return Measures.of(s, checked, data.flipSubset(), data.validation(), data.ood());
    }

    /**
     * The best single RM is the one a practitioner would pick: highest accuracy on in-distribution labels (not the
     * gold reward, which nobody has), lower loss on ties, measured on the selection pairs: a split of its own, so the
     * member is never scored on the pairs that chose it (that would flatter it). 0-based.
     */
    static int bestSingle(List<PairScores> selection) {
        int best = 0;
        double bestAcc = -1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < selection.size(); i++) {
            PairScores v = selection.get(i);
            double acc = Measures.labelAccuracy(v, Measures.all(v.size()));
            double loss = labelLoss(v);
            if (acc > bestAcc || (acc == bestAcc && loss < bestLoss)) {
                best = i;
                bestAcc = acc;
                bestLoss = loss;
            }
        }
        return best;
    }

    static List<BestOfNPoint> bestOfN(EvalSettings s, CandidatePool pool, ModelScores single, ModelScores ens,
                                      ModelScores warm) {
        double[][] gold = pool.gold();
        double[][] a = BestOfN.toDouble(single.bestOfN());
        double[][] e = BestOfN.toDouble(ens.bestOfN());
        double[][] w = BestOfN.toDouble(warm.bestOfN());
        double random = BestOfN.evaluate(new double[gold.length][gold[0].length], gold, 1).meanGold();
        List<BestOfNPoint> out = new ArrayList<>();
        for (int n : s.bestOfNs()) {
            BestOfN.Point ps = BestOfN.evaluate(a, gold, n);
            BestOfN.Point pe = BestOfN.evaluate(e, gold, n);
            BestOfN.Point pw = BestOfN.evaluate(w, gold, n);
            out.add(new BestOfNPoint(n, random, ps.meanGold(), ps.stderr(), pe.meanGold(), pe.stderr(), pw.meanGold(),
                    pw.stderr(), BestOfN.evaluate(gold, gold, n).meanGold(), BestOfN.winRate(w, a, gold, n),
                    BestOfN.winRate(e, a, gold, n), BestOfN.winRate(w, e, gold, n), profile(pool, a, n),
                    profile(pool, e, n), profile(pool, w, n), profile(pool, gold, n),
                    Measures.pairedDifference(BestOfN.perTask(w, gold, n), BestOfN.perTask(a, gold, n)),
                    Measures.pairedDifference(BestOfN.perTask(w, gold, n), BestOfN.perTask(e, gold, n))));
        }
        return out;
    }

    /** Mean properties of the candidates {@code proxy} picks among N (same blocks as the gold reward). */
    static PickProfile profile(CandidatePool pool, double[][] proxy, int n) {
        return new PickProfile(
                BestOfN.evaluate(proxy, pool.property(CandidateProperties::coverage), n).meanGold(),
                BestOfN.evaluate(proxy, pool.property(CandidateProperties::invented), n).meanGold(),
                BestOfN.evaluate(proxy, pool.property(CandidateProperties::words), n).meanGold(),
                BestOfN.evaluate(proxy, pool.property(c -> c.truncated() ? 1 : 0), n).meanGold());
    }

    static Interpolation interpolation(NoiseExperiment.Raw raw, PairSet validation, EvalData data, PairSet checked) {
        int[] pair = raw.interpolationPair();
        PairScores a = raw.members().get(pair[0]).validation().head(validation.size());
        PairScores b = raw.members().get(pair[1]).validation().head(validation.size());
        List<Double> acc = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<Double> predAcc = new ArrayList<>();
        List<Double> predLoss = new ArrayList<>();
        List<Double> lossSe = new ArrayList<>();
        List<Double> predLossSe = new ArrayList<>();
        for (int i = 0; i < raw.lambdas().size(); i++) {
            double l = raw.lambdas().get(i);
            PairScores weights = raw.interpolation().get(i);
            acc.add(Measures.goldAccuracy(weights, validation));
            loss.add(Measures.goldLoss(weights, validation));
            lossSe.add(Measures.meanAndStderr(PerItem.goldLoss(weights, validation))[1]);
            PairScores predictions = mix(a, b, l);
            predAcc.add(Measures.goldAccuracy(predictions, validation));
            predLoss.add(Measures.goldLoss(predictions, validation));
            predLossSe.add(Measures.meanAndStderr(PerItem.goldLoss(predictions, validation))[1]);
        }
        boolean[] flipped = data.flipSubset();
        boolean[] clean = Measures.not(flipped);
        PairSet ood = data.oodInterpolationSet(raw.interpolationOod().get(0).size());
        List<Double> trainFlipped = new ArrayList<>();
        List<Double> trainClean = new ArrayList<>();
        List<Double> oodAcc = new ArrayList<>();
        for (int i = 0; i < raw.lambdas().size(); i++) {
            trainFlipped.add(PerItem.average(PerItem.labelAgreement(raw.interpolationTrain().get(i), flipped)));
            trainClean.add(PerItem.average(PerItem.labelAgreement(raw.interpolationTrain().get(i), clean)));
            oodAcc.add(Measures.goldAccuracy(raw.interpolationOod().get(i), ood));
        }
        return new Interpolation(pair[0] + 1, pair[1] + 1, validation.size(), raw.lambdas(), acc, loss, predAcc,
                predLoss, lossSe, predLossSe, trainFlipped, trainClean, oodAcc);
    }

    static PairScores mix(PairScores a, PairScores b, double lambda) {
        float[] c = new float[a.size()];
        float[] r = new float[a.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) ((1 - lambda) * a.chosen()[i] + lambda * b.chosen()[i]);
            r[i] = (float) ((1 - lambda) * a.rejected()[i] + lambda * b.rejected()[i]);
        }
        return new PairScores(c, r);
    }

    static Diversity diversity(NoiseExperiment.Raw raw) {
        double[][] g = raw.gram();
        int m = g.length;
        double[] norms = new double[m];
        double[][] dist = new double[m][m];
        double[][] cos = new double[m][m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            norms[i] = Math.sqrt(g[i][i]);
            for (int j = 0; j < m; j++) {
                dist[i][j] = Math.sqrt(Math.max(0, g[i][i] + g[j][j] - 2 * g[i][j]));
                cos[i][j] = g[i][i] == 0 || g[j][j] == 0 ? Double.NaN : g[i][j] / Math.sqrt(g[i][i] * g[j][j]);
                sum += g[i][j];
            }
        }
        double disagreement = 0;
        int pairs = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                disagreement += Measures.disagreement(raw.members().get(i).validation(),
                        raw.members().get(j).validation());
                pairs++;
            }
        }
        return new Diversity(norms, dist, cos, Math.sqrt(Math.max(0, sum)) / m,
                pairs == 0 ? 0 : disagreement / pairs);
    }

    static Sanity sanity(NoiseExperiment.Raw raw) {
        ModelScores member = raw.members().get(0);
        ModelScores warm = raw.warm().get(0);
        double maxDiff = Math.max(Math.max(maxDiff(member.train(), warm.train()),
                maxDiff(member.validation(), warm.validation())), maxDiff(member.ood(), warm.ood()));
        if (member.bestOfN() != null && warm.bestOfN() != null) {
            for (int t = 0; t < member.bestOfN().length; t++) {
                for (int k = 0; k < member.bestOfN()[t].length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(member.bestOfN()[t][k] - warm.bestOfN()[t][k]));
                }
            }
        }
        ModelScores ensOfOne = ModelScores.mean("ens-1", List.of(member));
        boolean ensSame = maxDiff(member.validation(), ensOfOne.validation()) == 0
                && maxDiff(member.ood(), ensOfOne.ood()) == 0 && maxDiff(member.train(), ensOfOne.train()) == 0;
        return new Sanity(raw.warmOfOneSameWeights(), maxDiff, raw.identicalAverageMaxDifference(), ensSame,
                raw.cachedVsFullMaxDifference());
    }

    static double maxDiff(PairScores a, PairScores b) {
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.chosen()[i] - b.chosen()[i]));
            max = Math.max(max, Math.abs(a.rejected()[i] - b.rejected()[i]));
        }
        return max;
    }

    private static double labelLoss(PairScores v) {
        double loss = 0;
        for (int i = 0; i < v.size(); i++) {
            double d = v.margin(i);
            loss += Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
        }
        return loss / Math.max(1, v.size());
    }

    private static SetMeasures meanOf(List<SetMeasures> list) {
        double[] sum = new double[9];
        for (SetMeasures x : list) {
            double[] v = {x.memorisation(), x.flippedPairsWrong(), x.cleanTrain(), x.validation(),
                    x.validationLabels(), x.validationLoss(), x.ood(), x.oodLabels(), x.oodLoss()};
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        int n = list.size();
        return new SetMeasures(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, sum[4] / n, sum[5] / n, sum[6] / n,
                sum[7] / n, sum[8] / n);
    }

    private static double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
