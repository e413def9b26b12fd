package io.warmstream.model.train;

/**
 * L2-regularised logistic regression on pair differences, the "LP" of LP-FT: with d_i = f(chosen_i) - f(rejected_i)
 * it minimises (1/n) sum softplus(-w . d_i) + (l2 / 2) |w|^2, which is the Bradley-Terry loss of a linear reward
 * w . f on frozen features. Solved by Newton's method with backtracking in double precision: exact, deterministic,
 * and cheap for hidden sizes in the hundreds.
 */
final class LinearProbe {

    record Fit(double[] weight, double loss, double accuracy, int iterations) {}

    private static final int MAX_ITERATIONS = 50;
    private static final double TOLERANCE = 1e-10;

    private LinearProbe() {}

    static Fit fit(float[][] chosen, float[][] rejected, double l2) {
        int n = chosen.length;
        if (n == 0 || rejected.length != n) {
            throw new IllegalArgumentException("need the same, non-zero number of chosen and rejected feature rows");
        }
        int h = chosen[0].length;
        double[][] d = new double[n][h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                d[i][j] = (double) chosen[i][j] - rejected[i][j];
            }
        }
        double[] w = new double[h];
        double objective = objective(d, w, l2);
        int iter = 0;
        for (; iter < MAX_ITERATIONS; iter++) {
            double[] grad = new double[h];
            double[][] hess = new double[h][h];
            for (double[] di : d) {
                double z = dot(w, di);
                double s = sigmoid(-z);          // -d/dz softplus(-z)
                double curvature = s * (1 - s);
                for (int a = 0; a < h; a++) {
                    grad[a] -= s * di[a] / n;
                    double ca = curvature * di[a] / n;
                    for (int b = 0; b <= a; b++) {
                        hess[a][b] += ca * di[b];
                    }
                }
            }
            for (int a = 0; a < h; a++) {
                grad[a] += l2 * w[a];
                hess[a][a] += l2;
                for (int b = 0; b < a; b++) {
                    hess[b][a] = hess[a][b];
                }
            }
            if (Math.sqrt(dot(grad, grad)) < TOLERANCE) {
                break;
            }
            double[] direction = solveCholesky(hess, grad);
            double stepLength = 1;
            double[] next = new double[h];
            double nextObjective;
            do {
                for (int a = 0; a < h; a++) {
                    next[a] = w[a] - stepLength * direction[a];
                }
                nextObjective = objective(d, next, l2);
                stepLength /= 2;
            } while (nextObjective > objective && stepLength > 1e-8);
            if (nextObjective > objective) {
                break;
            }
            boolean converged = objective - nextObjective < TOLERANCE * Math.max(1, Math.abs(objective));
            w = next;
            objective = nextObjective;
            if (converged) {
                iter++;
                break;
            }
        }
        int correct = 0;
        double loss = 0;
        for (double[] di : d) {
            double z = dot(w, di);
            if (z > 0) {
                correct++;
            }
            loss += softplus(-z);
        }
        return new Fit(w, loss / n, (double) correct / n, iter);
    }

    private static double objective(double[][] d, double[] w, double l2) {
        double sum = 0;
        for (double[] di : d) {
            sum += softplus(-dot(w, di));
        }
        return sum / d.length + 0.5 * l2 * dot(w, w);
    }

    /** Solves A x = b for symmetric positive-definite A (A is positive definite thanks to the L2 term). */
    private static double[] solveCholesky(double[][] a, double[] b) {
        int n = b.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * y[k];
            }
            y[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
