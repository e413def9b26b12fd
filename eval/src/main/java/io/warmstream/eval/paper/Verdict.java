package io.warmstream.eval.paper;

/**
 * The decision on one paper claim from an estimate and its standard error. A claim holds only when the estimate is
 * more than {@link #THRESHOLD_SE} standard errors on the paper's side of zero, is contradicted when it is that far on
 * the other side, and is otherwise inconclusive: a tie is no longer a "holds".
 */
public enum Verdict {
    HOLDS("holds"), CONTRADICTED("contradicted"), INCONCLUSIVE("inconclusive");

    /** Standard errors an estimate must clear to decide (about a two-sided 5% test). */
    public static final double THRESHOLD_SE = 2.0;

    /**
     * Standard errors of the smallest true effect this test detects with 80% power: the threshold plus the normal
     * quantile of 0.8 (0.8416), i.e. 2.84 SE. Smaller true effects are more likely than not to come out inconclusive.
     */
    public static final double DETECTABLE_SE = THRESHOLD_SE + 0.8416;

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * @param estimate  measured effect (e.g. WARM minus ENS)
     * @param se        its standard error
     * @param direction +1 when the paper says the effect is positive, -1 when it says negative
     */
    public static Verdict of(double estimate, double se, int direction) {
        if (direction != 1 && direction != -1) {
            throw new IllegalArgumentException("direction must be +1 or -1, got " + direction);
        }
        if (!Double.isFinite(estimate) || !Double.isFinite(se)) {
            return INCONCLUSIVE;
        }
        double signed = estimate * direction;
        if (signed > THRESHOLD_SE * se) {
            return HOLDS;
        }
        if (signed < -THRESHOLD_SE * se) {
            return CONTRADICTED;
        }
        return INCONCLUSIVE;
    }

    /** The smallest true effect detected with 80% power at this standard error. */
    public static double minDetectableEffect(double se) {
        return DETECTABLE_SE * se;
    }
}
