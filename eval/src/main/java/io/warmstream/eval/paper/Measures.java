package io.warmstream.eval.paper;

import io.warmstream.eval.report.SetMeasures;

/**
 * The numbers the paper compares, computed from rewards. Ties (equal rewards) count as wrong, like
 * {@link io.warmstream.model.Evaluation}.
 */
public final class Measures {

    private Measures() {
    }

    public static SetMeasures of(ModelScores s, PairSet checked, boolean[] flipSubset, PairSet validation,
                                 PairSet ood) {
        return new SetMeasures(
                memorisation(s.train(), checked),
                preferenceForWorse(s.train(), checked, flipSubset),
                labelAccuracy(s.train(), not(checked.flipped())),
                goldAccuracy(s.validation(), validation),
                labelAccuracy(s.validation(), all(validation.size())),
                goldLoss(s.validation(), validation),
                goldAccuracy(s.ood(), ood),
                labelAccuracy(s.ood(), all(ood.size())),
                goldLoss(s.ood(), ood));
    }

    /**
     * Memorisation: on the pairs whose label was deliberately flipped, and only those, how often the model agrees
     * with the (wrong) label. NaN when nothing was flipped.
     */
    public static double memorisation(PairScores scores, PairSet set) {
        return labelAccuracy(scores, set.flipped());
    }

    /** Share of the masked pairs where the model prefers the gold-worse response (the flip's answer). */
    public static double preferenceForWorse(PairScores scores, PairSet set, boolean[] mask) {
        int n = 0;
        int wrong = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (mask[i]) {
                n++;
                wrong += goldCorrect(scores.margin(i), set.goldMargin()[i]) ? 0 : 1;
            }
        }
        return n == 0 ? Double.NaN : (double) wrong / n;
    }

    /** Share of masked pairs with r(chosen) > r(rejected): agreement with the labels as given. */
    public static double labelAccuracy(PairScores scores, boolean[] mask) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (mask[i]) {
                n++;
                right += scores.margin(i) > 0 ? 1 : 0;
            }
        }
        return n == 0 ? Double.NaN : (double) right / n;
    }

    /** Share of pairs where the model ranks the gold-better response higher. */
    public static double goldAccuracy(PairScores scores, PairSet set) {
        boolean[] correct = goldCorrect(scores, set);
        int right = 0;
        for (boolean c : correct) {
            right += c ? 1 : 0;
        }
        return correct.length == 0 ? Double.NaN : (double) right / correct.length;
    }

    /** Mean Bradley-Terry loss with pairs oriented by gold: -log sigmoid(r(better) - r(worse)). */
    public static double goldLoss(PairScores scores, PairSet set) {
        double loss = 0;
        for (int i = 0; i < scores.size(); i++) {
            double d = scores.margin(i) * Math.signum(set.goldMargin()[i]);
            loss += Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
        }
        return scores.size() == 0 ? Double.NaN : loss / scores.size();
    }

    public static boolean[] goldCorrect(PairScores scores, PairSet set) {
        boolean[] out = new boolean[scores.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = goldCorrect(scores.margin(i), set.goldMargin()[i]);
        }
        return out;
    }

    /**
     * Mean of a[i] - b[i] over paired 0/1 outcomes and its standard error (the pairs are shared, so only the
     * pairs where the two disagree carry information): {diff, se}.
     */
    public static double[] pairedDifference(boolean[] a, boolean[] b) {
        int n = a.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            int d = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n;
        double variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
        return new double[] {mean, Math.sqrt(Math.max(variance, 0) / n)};
    }

    /** Mean of a[i] - b[i] over paired values and its standard error (n - 1 in the variance): {diff, se}. */
    public static double[] pairedDifference(double[] a, double[] b) {
        int n = a.length;
        if (n == 0 || b.length != n) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i] - b[i];
        }
        return meanAndStderr(d);
    }

    /** Mean of the values and its standard error (n - 1 in the variance; NaN for fewer than 2 values): {mean, se}. */
    public static double[] meanAndStderr(double[] v) {
        int n = v.length;
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= n;
        if (n < 2) {
            return new double[] {mean, Double.NaN};
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (n - 1) / n)};
    }

    /** Share of pairs on which two models order the responses differently. */
    public static double disagreement(PairScores a, PairScores b) {
        int differ = 0;
        for (int i = 0; i < a.size(); i++) {
            differ += (a.margin(i) > 0) != (b.margin(i) > 0) ? 1 : 0;
        }
        return a.size() == 0 ? Double.NaN : (double) differ / a.size();
    }

    private static boolean goldCorrect(double modelMargin, double goldMargin) {
        return goldMargin > 0 ? modelMargin > 0 : goldMargin < 0 && modelMargin < 0;
    }

    static boolean[] all(int n) {
        boolean[] out = new boolean[n];
        java.util.Arrays.fill(out, true);
        return out;
    }

    static boolean[] not(boolean[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = !mask[i];
        }
        return out;
    }

    /** A subset of a boolean vector. */
    static boolean[] select(boolean[] values, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            n += m ? 1 : 0;
        }
        boolean[] out = new boolean[n];
        int j = 0;
        for (int i = 0; i < values.length; i++) {
            if (mask[i]) {
                out[j++] = values[i];
            }
        }
        return out;
    }
}
