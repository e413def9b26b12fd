package io.warmstream.merger.guard;

import io.warmstream.merger.state.MemberInfo;

import java.util.List;

/**
 * What the linear-mode-connectivity guard found.
 *
 * @param ran                false when skipped (disabled, or too few held-out labels); then the accuracies are null
 * @param refused            the candidate must not be published
 * @param detail             one line for logs and the rejection event
 * @param labels             held-out labels scored
 * @param members            the members, with held-out accuracies filled in where they were measured
 * @param candidateRankedRight per held-out pair, whether the candidate ranks it right (null when skipped): the
 *                           quality gate compares these with the served version's
 */
public record GuardVerdict(boolean ran, boolean refused, String detail, int labels, Double candidateAccuracy,
                           Double membersMeanAccuracy, List<MemberInfo> members, boolean[] candidateRankedRight) {

    static GuardVerdict skipped(String why, List<MemberInfo> members) {
        return new GuardVerdict(false, false, why, 0, null, null, members, null);
    }
}
