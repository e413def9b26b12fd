package io.warmstream.eval.paper;

/**
 * Best-of-N selection judged by the gold reward. Each task's K candidates are cut into K/N disjoint blocks of N
 * consecutive candidates (independent draws, see {@link CandidatePool}); in each block the proxy picks its
 * highest-scored candidate (the first one on ties) and the pick's gold reward is what counts. Using every block
 * instead of only the first N candidates gives the same expectation with far less noise for small N.
 */
public final class BestOfN {

    private BestOfN() {
    }

    /**
     * @param meanGold mean gold reward of the picks (blocks averaged per task, then tasks averaged)
     * @param stderr   standard error over tasks (NaN for a single task)
     */
    public record Point(int n, double meanGold, double stderr) {
    }

    public static Point evaluate(double[][] proxy, double[][] gold, int n) {
        double[] perTask = perTask(proxy, gold, n);
        return new Point(n, mean(perTask), stderr(perTask));
    }

    /**
     * Mean gold reward of the proxy's picks on each task (its blocks averaged): the per-prompt values two proxies
     * are compared on, pairwise, since they pick from the same candidates.
     */
    public static double[] perTask(double[][] proxy, double[][] gold, int n) {
        int tasks = gold.length;
        double[] perTask = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            int blocks = blocks(gold[t].length, n);
            double sum = 0;
            for (int b = 0; b < blocks; b++) {
                sum += gold[t][pick(proxy[t], b * n, n)];
            }
            perTask[t] = sum / blocks;
        }
        return perTask;
    }

    /**
     * How often proxy a's pick has a higher gold reward than proxy b's pick from the same N candidates; ties count
     * half. Blocks averaged per task, then tasks averaged.
     */
    public static double winRate(double[][] a, double[][] b, double[][] gold, int n) {
        double total = 0;
        for (int t = 0; t < gold.length; t++) {
            int blocks = blocks(gold[t].length, n);
            double wins = 0;
            for (int k = 0; k < blocks; k++) {
                double ga = gold[t][pick(a[t], k * n, n)];
                double gb = gold[t][pick(b[t], k * n, n)];
                wins += ga > gb ? 1 : ga == gb ? 0.5 : 0;
            }
            total += wins / blocks;
        }
        return total / gold.length;
    }

    /** Index of the highest proxy score in [from, from + n); the first one on ties. */
    static int pick(double[] proxy, int from, int n) {
        int best = from;
        for (int i = from + 1; i < from + n; i++) {
            if (proxy[i] > proxy[best]) {
                best = i;
            }
        }
        return best;
    }

    public static double[][] toDouble(float[][] scores) {
        double[][] out = new double[scores.length][];
        for (int t = 0; t < scores.length; t++) {
            out[t] = new double[scores[t].length];
            for (int k = 0; k < scores[t].length; k++) {
                out[t][k] = scores[t][k];
            }
        }
        return out;
    }

    private static int blocks(int candidates, int n) {
        if (n < 1 || n > candidates) {
            throw new IllegalArgumentException("best-of-" + n + " needs at least " + n + " candidates, got "
                    + candidates);
        }
        return candidates / n;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double stderr(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return Math.sqrt(ss / (v.length - 1) / v.length);
    }
}
