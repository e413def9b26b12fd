package io.warmstream.eval.paper;

/**
 * The RL stand-in's policy: exponential tilting of the base policy by a reward model, pi(k) proportional to
 * base(k) * exp(r(k) / beta). It is the exact optimum of the KL-regularised RL objective E_pi[r] - beta KL(pi || base)
 * that RLHF's policy gradient approximates, so sweeping beta traces the reward-vs-KL frontier an RL run walks along.
 * The base policy is represented by a pool of K draws from it (the simulator's candidates), so base(k) = 1/K and
 * KL(pi || base) = log K - H(pi) (at most log K, reached when one candidate takes all the mass).
 */
public final class TiltedPolicy {

    private TiltedPolicy() {
    }

    /** pi(k) proportional to exp(r(k) / beta) over the pool (beta > 0), computed without overflow. */
    public static double[] weights(double[] reward, double beta) {
        if (!(beta > 0)) {
            throw new IllegalArgumentException("beta must be > 0, got " + beta);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double r : reward) {
            max = Math.max(max, r);
        }
        double[] w = new double[reward.length];
        double sum = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = Math.exp((reward[k] - max) / beta);
            sum += w[k];
        }
        for (int k = 0; k < w.length; k++) {
            w[k] /= sum;
        }
        return w;
    }

    /** KL(pi || uniform over the pool) = sum pi log(pi K), in nats. */
    public static double kl(double[] pi) {
        double kl = 0;
        for (double p : pi) {
            if (p > 0) {
                kl += p * Math.log(p * pi.length);
            }
        }
        return Math.max(0, kl);
    }

    /** E_pi[gold]: the gold reward of the policy's samples on average. */
    public static double expected(double[] pi, double[] gold) {
        double e = 0;
        for (int k = 0; k < pi.length; k++) {
            e += pi[k] * gold[k];
        }
        return e;
    }

    /**
     * P(gold of a sample from pi_a > gold of an independent sample from pi_b), ties counted half: the win rate a judge
     * who knows the gold reward would report between the two policies on this prompt.
     */
    public static double winRate(double[] a, double[] b, double[] gold) {
        double win = 0;
        for (int i = 0; i < gold.length; i++) {
            if (a[i] == 0) {
                continue;
            }
            double beaten = 0;
            for (int j = 0; j < gold.length; j++) {
                beaten += gold[i] > gold[j] ? b[j] : gold[i] == gold[j] ? 0.5 * b[j] : 0;
            }
            win += a[i] * beaten;
        }
        return win;
    }

    /** Mean over prompts of the tilted policy's KL at this beta. */
    public static double meanKl(double[][] reward, double beta) {
        double total = 0;
        for (double[] r : reward) {
            total += kl(weights(r, beta));
        }
        return total / reward.length;
    }

    /**
     * The one beta (shared by every prompt, as one KL coefficient is in RL) at which the tilted policy's KL, averaged
     * over prompts, equals {@code targetKl}; by bisection on log beta (the KL falls as beta grows). The target must lie
     * in (0, log K): with a single candidate per prompt or ties for the best reward the largest KL is smaller, and
     * the closest beta is returned.
     */
    public static double betaForKl(double[][] reward, double targetKl) {
        if (!(targetKl > 0)) {
            throw new IllegalArgumentException("target KL must be > 0, got " + targetKl);
        }
        double scale = spread(reward);
        double lo = Math.log(scale * 1e-6);
        double hi = Math.log(scale * 1e6);
        for (int i = 0; i < 200; i++) {
            double mid = 0.5 * (lo + hi);
            if (meanKl(reward, Math.exp(mid)) > targetKl) {
                lo = mid; // too concentrated: a larger beta
            } else {
                hi = mid;
            }
        }
        return Math.exp(0.5 * (lo + hi));
    }

    /** Standard deviation of the rewards within prompts (the reward model's own scale; 1 if they are all equal). */
    private static double spread(double[][] reward) {
        double ss = 0;
        long n = 0;
        for (double[] r : reward) {
            double mean = 0;
            for (double x : r) {
                mean += x / r.length;
            }
            for (double x : r) {
                ss += (x - mean) * (x - mean);
                n++;
            }
        }
        double sd = Math.sqrt(ss / Math.max(1, n));
        return sd > 0 && Double.isFinite(sd) ? sd : 1;
    }
}
