package io.warmstream.merger.gate;

/**
 * The quality gate's settings ({@code warm.merger.gate.*}).
 *
 * @param enabled        off: every version that passes the other checks is served, as before the gate
 * @param standardErrors k: a version is withheld when its paired difference to the served one is below -k SE
 * @param minLabels      fewer held-out labels than this: no comparison, the version is served
 * @param maxUnscoredShare the served version may lack results on at most this share of the snapshot (labels newer
 *                       than its background scoring): they are left out of the comparison instead of loading it on
 *                       the checkpoint's path; 0: every label is scored for it
 */
public record GateSettings(boolean enabled, double standardErrors, int minLabels, double maxUnscoredShare) {

    /** Every label scored for the served version (no share left out). */
    public GateSettings(boolean enabled, double standardErrors, int minLabels) {
        this(enabled, standardErrors, minLabels, 0);
    }

    public GateSettings {
        if (!(standardErrors >= 0) || Double.isInfinite(standardErrors)) {
            throw new IllegalArgumentException("warm.merger.gate.standard-errors must be a number >= 0, got "
                    + standardErrors);
        }
        if (minLabels < 2) {
            // One pair has no standard error; the gate could never decide.
            throw new IllegalArgumentException("warm.merger.gate.min-labels must be >= 2, got " + minLabels);
        }
        if (!(maxUnscoredShare >= 0) || maxUnscoredShare >= 1) {
            throw new IllegalArgumentException("warm.merger.gate.max-unscored-share must be in [0, 1), got "
                    + maxUnscoredShare);
        }
    }
}
