package io.warmstream.merger.state;

/**
 * One model inside an average, as the merger records it.
 *
 * @param validationAccuracy as the trainer reported it, on the trainer's own validation labels
 * @param weight             the weight it received when folded (1 uniform, its accuracy when accuracy-weighted, mu for EMA)
 * @param holdoutAccuracy    accuracy on the merger's held-out sample, measured once when the LMC guard first needed it;
 *                           null until then
 */
public record MemberInfo(String jobId, String uri, String sha256, double validationAccuracy, double weight,
                         Double holdoutAccuracy) {

    public MemberInfo withWeight(double w) {
        return new MemberInfo(jobId, uri, sha256, validationAccuracy, w, holdoutAccuracy);
    }

    public MemberInfo withHoldoutAccuracy(Double accuracy) {
        return new MemberInfo(jobId, uri, sha256, validationAccuracy, weight, accuracy);
    }

    /** The accuracy the LMC guard compares with: the held-out one when measured, else the trainer's. */
    public double guardAccuracy() {
        return holdoutAccuracy != null ? holdoutAccuracy : validationAccuracy;
    }
}
