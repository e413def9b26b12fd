package io.warmstream.merger.gate;

/**
 * Two models compared on the same held-out pairs, pair by pair. Each pair is ranked right (1) or wrong (0) by each
 * model; the per-pair difference candidate - served is -1, 0 or 1. Pairing matters: most pairs are ranked alike by
 * two versions of one average, so the difference varies far less than either accuracy, and its standard error is
 * what tells a real change from the luck of the sample.
 *
 * @param n                          pairs compared
 * @param candidateAccuracy          fraction the candidate ranks right
 * @param candidateStandardError     sqrt(p(1-p)/n) of that fraction
 * @param servedAccuracy             fraction the served version ranks right, on the same pairs
 * @param difference                 mean per-pair difference candidate - served (= the difference of accuracies)
 * @param differenceStandardError    sample standard deviation of the per-pair differences / sqrt(n); NaN for n < 2
 */
public record PairedComparison(int n, double candidateAccuracy, double candidateStandardError, double servedAccuracy,
                               double difference, double differenceStandardError) {

    /** Compares per-pair results; {@code candidate[i]} and {@code served[i]} are the same pair. */
    public static PairedComparison of(boolean[] candidate, boolean[] served) {
        if (candidate.length != served.length) {
            throw new IllegalArgumentException("paired results differ in length: " + candidate.length + " vs "
                    + served.length);
        }
        int n = candidate.length;
        if (n == 0) {
            throw new IllegalArgumentException("nothing to compare: no pairs");
        }
        long candidateRight = 0;
        long servedRight = 0;
        long sum = 0;
        long sumOfSquares = 0;
        for (int i = 0; i < n; i++) {
            int c = candidate[i] ? 1 : 0;
            int s = served[i] ? 1 : 0;
            candidateRight += c;
            servedRight += s;
            sum += c - s;
            sumOfSquares += (long) (c - s) * (c - s);
        }
        double p = (double) candidateRight / n;
        double mean = (double) sum / n;
        // Sums of small integers are exact; the variance is formed from them in one step to keep rounding small.
        double variance = n < 2 ? Double.NaN : (sumOfSquares - (double) sum * sum / n) / (n - 1);
        double se = n < 2 ? Double.NaN : Math.sqrt(Math.max(0, variance) / n);
        return new PairedComparison(n, p, accuracyStandardError(p, n), (double) servedRight / n, mean, se);
    }

    /** The binomial standard error of an accuracy {@code p} measured on {@code n} pairs; NaN if there are none. */
    public static double accuracyStandardError(double p, int n) {
        if (n < 1 || !Double.isFinite(p)) {
            return Double.NaN;
        }
        return Math.sqrt(p * (1 - p) / n);
    }

    /**
     * True when the candidate is worse by more than {@code standardErrors} paired standard errors: difference <
     * -k SE. A difference of -1 on every pair has SE 0 and counts as worse; no difference at all never does.
     */
    public boolean worseBeyond(double standardErrors) {
        return difference < -standardErrors * differenceStandardError;
    }

    /**
     * True when the candidate is better by more than {@code standardErrors} paired standard errors: difference >
     * k SE. The stricter rule a new generation must pass to replace the served one; no difference never does, and
     * neither does an unknown standard error (n < 2).
     */
    public boolean betterBeyond(double standardErrors) {
        return difference > standardErrors * differenceStandardError;
    }
}
