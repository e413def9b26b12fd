package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults.Controls;
import io.warmstream.eval.report.PaperResults.MScalingPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * M-scaling over random subsets of members and the two controls, from one noise level's scores. Pure: no model is
 * touched here.
 *
 * <ul>
 *   <li>M-scaling: for each m, ENS and WARM of several random m-member subsets (m = 1: every member alone; m = M:
 *   all of them), averaged over the subsets; WARM - ENS paired per item (the subsets' values averaged per item
 *   first, so its SE covers the items, not the choice of subsets).</li>
 *   <li>Shrinkage control: the best single member with its task vector scaled to WARM's norm.</li>
 *   <li>Scale control: ENS of standardised rewards, each member's rewards centred and divided by their standard
 *   deviation on the selection pairs, so no member outweighs the others by the scale of its rewards.</li>
 * </ul>
 */
final class ControlsAnalysis {

    private ControlsAnalysis() {
    }

    static Controls analyse(EvalData data, NoiseExperiment.Raw raw, long seed) {
        PairSet checked = data.checked().get(raw.flipFraction());
        ControlModels.Scores c = raw.controls();
        int m = raw.members().size();
        List<MScalingPoint> points = new ArrayList<>();
        for (int size = 1; size <= m; size++) {
            List<ModelScores> warms = new ArrayList<>();
            List<ModelScores> enss = new ArrayList<>();
            if (size == 1) {
                warms.addAll(raw.members());
                enss.addAll(raw.members());
            } else if (size == m) {
                warms.add(raw.warm().get(m - 1));
                enss.add(ModelScores.mean("ens", raw.members()));
            } else {
                for (ControlModels.Subset s : c.subsets()) {
                    if (s.members().length == size) {
                        warms.add(s.warm());
                        enss.add(ModelScores.mean("ens", java.util.Arrays.stream(s.members())
                                .mapToObj(raw.members()::get).toList()));
                    }
                }
            }
            if (warms.isEmpty()) {
                continue;
            }
            double[] warmOod = PerItem.mean(warms.stream().map(x -> PerItem.goldCorrect(x.ood(), data.ood())).toList());
            double[] ensOod = PerItem.mean(enss.stream().map(x -> PerItem.goldCorrect(x.ood(), data.ood())).toList());
            double[] warmVal = PerItem.mean(warms.stream()
                    .map(x -> PerItem.goldCorrect(x.validation(), data.validation())).toList());
            double[] ensVal = PerItem.mean(enss.stream()
                    .map(x -> PerItem.goldCorrect(x.validation(), data.validation())).toList());
            points.add(new MScalingPoint(size, warms.size(), PerItem.average(warmVal), PerItem.average(ensVal),
                    PerItem.average(warmOod), PerItem.average(ensOod),
                    PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(warmOod, ensOod)), seed + size),
                    PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(warmVal, ensVal)), seed - size)));
        }
        ModelScores warm = raw.warm().get(m - 1);
        return new Controls(points, c.shrunkMember() + 1, c.shrinkFactor(),
                NoiseAnalysis.measures(c.shrunk(), data, checked), NoiseAnalysis.measures(warm, data, checked),
                NoiseAnalysis.measures(ensStandardised(raw), data, checked),
                NoiseAnalysis.measures(ModelScores.mean("ens", raw.members()), data, checked));
    }

    /** ENS of the members' standardised rewards (centred and scaled on the selection pairs). */
    static ModelScores ensStandardised(NoiseExperiment.Raw raw) {
        List<ModelScores> scaled = new ArrayList<>();
        for (int i = 0; i < raw.members().size(); i++) {
            double[] ms = meanAndSd(raw.memberSelection().get(i));
            scaled.add(affine(raw.members().get(i), ms[0], ms[1]));
        }
        return ModelScores.mean("ens-standardised", scaled);
    }

    /** Mean and standard deviation of every reward (chosen and rejected) in the scores; sd 1 if they are all equal. */
    static double[] meanAndSd(PairScores p) {
        double sum = 0;
        int n = 2 * p.size();
        for (int i = 0; i < p.size(); i++) {
            sum += p.chosen()[i] + (double) p.rejected()[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < p.size(); i++) {
            ss += (p.chosen()[i] - mean) * (p.chosen()[i] - mean) + (p.rejected()[i] - mean) * (p.rejected()[i] - mean);
        }
        double sd = Math.sqrt(ss / n);
        return new double[] {mean, sd > 0 ? sd : 1};
    }

    /** (r - mean) / sd on every score of a model. */
    static ModelScores affine(ModelScores s, double mean, double sd) {
        float[][] bon = null;
        if (s.bestOfN() != null) {
            bon = new float[s.bestOfN().length][];
            for (int t = 0; t < bon.length; t++) {
                bon[t] = scale(s.bestOfN()[t], mean, sd);
            }
        }
        return new ModelScores(s.name() + "-standardised", scale(s.train(), mean, sd),
                scale(s.validation(), mean, sd), scale(s.ood(), mean, sd), bon);
    }

    private static PairScores scale(PairScores p, double mean, double sd) {
        return new PairScores(scale(p.chosen(), mean, sd), scale(p.rejected(), mean, sd));
    }

    private static float[] scale(float[] v, double mean, double sd) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) ((v[i] - mean) / sd);
        }
        return out;
    }
}
