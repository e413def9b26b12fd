package io.warmstream.local.stream;

import java.util.Arrays;
import java.util.List;

/** The stream report's statistics: rank correlation and drops between consecutive versions. */
final class StreamStatistics {

    private StreamStatistics() {
    }

    /** Spearman's rank correlation (ties get their average rank); NaN with fewer than 3 points or no spread. */
    static double spearman(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("need as many x as y");
        }
        if (x.length < 3) {
            return Double.NaN;
        }
        return pearson(ranks(x), ranks(y));
    }

    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                r[order[k]] = rank;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    /**
     * The largest drop from one version to the next, in standard errors (of the larger of the two); 0 when accuracy
     * never drops. A drop of more than 1 is a version served although measurably worse than the one before.
     */
    static double maxDropInSe(List<double[]> accuracyAndSe) {
        double worst = 0;
        for (int i = 1; i < accuracyAndSe.size(); i++) {
            double[] prev = accuracyAndSe.get(i - 1);
            double[] next = accuracyAndSe.get(i);
            double se = Math.max(prev[1], next[1]);
            if (se > 0) {
                worst = Math.max(worst, (prev[0] - next[0]) / se);
            }
        }
        return worst;
    }

    static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
