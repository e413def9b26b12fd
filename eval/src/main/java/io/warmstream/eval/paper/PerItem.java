package io.warmstream.eval.paper;

import java.util.List;

/**
 * Per-item values behind the measures (one value per test pair or per best-of-N prompt), so that two models scored
 * on the same items can be compared pair by pair: the paired difference of their vectors is what the claims'
 * bootstrap resamples. Their means are the measures of {@link Measures} (ties count as wrong there too).
 */
final class PerItem {

    private PerItem() {
    }

    /** 1 where the model ranks the gold-better response higher, else 0. */
    static double[] goldCorrect(PairScores scores, PairSet set) {
        boolean[] c = Measures.goldCorrect(scores, set);
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = c[i] ? 1 : 0;
        }
        return out;
    }

    /** On the masked pairs only: 1 where the model agrees with the label as given (r(chosen) > r(rejected)). */
    static double[] labelAgreement(PairScores scores, boolean[] mask) {
        double[] out = new double[count(mask)];
        int j = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (mask[i]) {
                out[j++] = scores.margin(i) > 0 ? 1 : 0;
            }
        }
        return out;
    }

    /** On the masked pairs only: the Bradley-Terry loss against the label as given, -log sigmoid(margin). */
    static double[] labelLoss(PairScores scores, boolean[] mask) {
        double[] out = new double[count(mask)];
        int j = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (mask[i]) {
                out[j++] = softplus(-scores.margin(i));
            }
        }
        return out;
    }

    /** Bradley-Terry loss with the pair oriented by gold, -log sigmoid(r(better) - r(worse)), per pair. */
    static double[] goldLoss(PairScores scores, PairSet set) {
        double[] out = new double[scores.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = softplus(-scores.margin(i) * Math.signum(set.goldMargin()[i]));
        }
        return out;
    }

    /**
     * Per prompt: the gold reward of the proxy's best-of-N picks averaged over the given N (each N's blocks averaged
     * first). The best-of-N curve reduced to one number per prompt.
     */
    static double[] bestOfN(float[][] proxy, double[][] gold, List<Integer> ns) {
        double[][] p = BestOfN.toDouble(proxy);
        double[] out = new double[gold.length];
        for (int n : ns) {
            double[] v = BestOfN.perTask(p, gold, n);
            for (int t = 0; t < out.length; t++) {
                out[t] += v[t] / ns.size();
            }
        }
        return out;
    }

    /** Element-wise mean of equally long vectors (e.g. the members' correctness: the members' mean per item). */
    static double[] mean(List<double[]> vectors) {
        double[] out = new double[vectors.get(0).length];
        for (double[] v : vectors) {
            for (int i = 0; i < out.length; i++) {
                out[i] += v[i] / vectors.size();
            }
        }
        return out;
    }

    /** a - b element by element. */
    static double[] minus(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired vectors differ in length: " + a.length + " vs " + b.length);
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }

    static double average(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static int count(boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        return n;
    }
}
