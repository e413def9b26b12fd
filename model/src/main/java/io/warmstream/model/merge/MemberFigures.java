package io.warmstream.model.merge;

/**
 * What a trainer reports about a member, as far as a merge method weighs it.
 *
 * @param accuracy        held-out accuracy; NaN with {@code validationCount} 0 when none of its labels was held out
 * @param validationCount held-out labels it was evaluated on
 * @param trainCount      labels it was trained on
 */
public record MemberFigures(double accuracy, long validationCount, long trainCount) {

    /** No held-out label, so no accuracy: unknown, not low. */
    public boolean accuracyUnknown() {
        return Double.isNaN(accuracy) && validationCount == 0;
    }
}
