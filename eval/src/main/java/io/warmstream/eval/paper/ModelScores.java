package io.warmstream.eval.paper;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one model (or an ensemble) predicted: rewards on the training pairs we check, the in-distribution and
 * out-of-distribution held-out pairs, and the best-of-N candidates ([task][candidate]; null when not scored).
 */
public record ModelScores(String name, PairScores train, PairScores validation, PairScores ood, float[][] bestOfN) {

    /** ENS of the given models: rewards averaged prediction by prediction. */
    public static ModelScores mean(String name, List<ModelScores> members) {
        List<PairScores> train = new ArrayList<>();
        List<PairScores> validation = new ArrayList<>();
        List<PairScores> ood = new ArrayList<>();
        boolean allBestOfN = true;
        for (ModelScores m : members) {
            train.add(m.train);
            validation.add(m.validation);
            ood.add(m.ood);
            allBestOfN &= m.bestOfN != null;
        }
        float[][] bon = null;
        if (allBestOfN) {
            float[][] first = members.get(0).bestOfN;
            bon = new float[first.length][];
            for (int t = 0; t < first.length; t++) {
                double[] sum = new double[first[t].length];
                for (ModelScores m : members) {
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += m.bestOfN[t][k];
                    }
                }
                bon[t] = new float[sum.length];
                for (int k = 0; k < sum.length; k++) {
                    bon[t][k] = (float) (sum[k] / members.size());
                }
            }
        }
        return new ModelScores(name, PairScores.mean(train), PairScores.mean(validation), PairScores.mean(ood), bon);
    }
}
