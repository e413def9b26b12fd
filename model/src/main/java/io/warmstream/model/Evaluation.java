package io.warmstream.model;

/**
 * How well a reward model ranks held-out pairs.
 *
 * @param pairs number of pairs scored
 * @param accuracy fraction with reward(chosen) &gt; reward(rejected) (ties count as wrong)
 * @param meanLoss mean Bradley-Terry loss, -log sigmoid(r_chosen - r_rejected)
 * @param meanMargin mean of r_chosen - r_rejected
 */
public record Evaluation(int pairs, double accuracy, double meanLoss, double meanMargin) {

    /** Evaluation of given rewards, pair i being (chosen[i], rejected[i]). */
    public static Evaluation of(float[] chosen, float[] rejected) {
        if (chosen.length != rejected.length) {
            throw new IllegalArgumentException("chosen and rejected reward counts differ");
        }
        int n = chosen.length;
        if (n == 0) {
            return new Evaluation(0, Double.NaN, Double.NaN, Double.NaN);
        }
        int correct = 0;
        double loss = 0;
        double margin = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) chosen[i] - rejected[i];
            if (d > 0) {
                correct++;
            }
            loss += softplus(-d);
            margin += d;
        }
        return new Evaluation(n, (double) correct / n, loss / n, margin / n);
    }

    /** log(1 + e^x) without overflow. */
    static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
