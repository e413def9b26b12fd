package io.warmstream.eval.paper;

import java.util.List;

/** One reward model's (or ensemble's) rewards on a {@link PairSet}: pair i is (chosen[i], rejected[i]). */
public record PairScores(float[] chosen, float[] rejected) {

    public PairScores {
        if (chosen.length != rejected.length) {
            throw new IllegalArgumentException("chosen and rejected reward counts differ");
        }
    }

    public int size() {
        return chosen.length;
    }

    /** r(chosen) - r(rejected) of pair i, in double. */
    public double margin(int i) {
        return (double) chosen[i] - rejected[i];
    }

    /** The first n pairs' rewards. */
    public PairScores head(int n) {
        return new PairScores(java.util.Arrays.copyOf(chosen, n), java.util.Arrays.copyOf(rejected, n));
    }

    /** ENS: the mean of the members' predicted rewards, pair by pair (accumulated in double). */
    public static PairScores mean(List<PairScores> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("mean of no scores");
        }
        int n = members.get(0).size();
        double[] c = new double[n];
        double[] r = new double[n];
        for (PairScores m : members) {
            if (m.size() != n) {
                throw new IllegalArgumentException("members scored different numbers of pairs");
            }
            for (int i = 0; i < n; i++) {
                c[i] += m.chosen[i];
                r[i] += m.rejected[i];
            }
        }
        float[] cf = new float[n];
        float[] rf = new float[n];
        for (int i = 0; i < n; i++) {
            cf[i] = (float) (c[i] / members.size());
            rf[i] = (float) (r[i] / members.size());
        }
        return new PairScores(cf, rf);
    }
}
