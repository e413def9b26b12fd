package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * A weighted running mean ({@link RunningAverage#weightedFold}): each member weighs what {@link #weightOf} says,
 * recorded in the merge record so that the next fold continues the sum.
 */
abstract class WeightedMerge implements MergeMethod {

    @Override
    public MergePlan plan(FoldRequest request) {
        double weight = request.weight();
        if (!(weight > 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException(request.strategyName() + " merge needs a finite weight > 0 for job "
                    + request.jobId() + ", got " + weight);
        }
        double sumBefore = request.first() ? 0 : request.previous().weightSum();
        List<Member> members = request.membersWith(weight);
        return request.first() ? MergePlan.first(request, new LinkedHashMap<>(), members)
                : MergePlan.pairwise(request, RunningAverage.weightedFold(weight, sumBefore), new LinkedHashMap<>(),
                members);
    }

    static IncompatibleModelException unweighable(String message) {
        return new IncompatibleModelException(IncompatibleModelException.Kind.UNWEIGHABLE, message);
    }

    /** Each member weighs its held-out accuracy, which must be known and above 0. */
    static final class ByAccuracy extends WeightedMerge {

        @Override
        public void requireWeighable(MemberFigures member) {
            if (member.accuracyUnknown()) {
                throw unweighable("no validation accuracy (validationCount 0): "
                        + "an accuracy-weighted average cannot weigh it");
            }
            if (!(member.accuracy() > 0)) {
                throw unweighable(String.format(Locale.ROOT, "validation accuracy %s: an accuracy-weighted average "
                        + "weighs each member by its accuracy and needs it above 0", member.accuracy()));
            }
        }

        @Override
        public double weightOf(MemberFigures member) {
            return member.accuracy();
        }
    }

    /** Each member weighs the number of labels it was trained on, which must be at least one. */
    static final class ByDataSize extends WeightedMerge {

        @Override
        public void requireWeighable(MemberFigures member) {
            if (member.trainCount() <= 0) {
                throw unweighable("trainCount " + member.trainCount() + ": a data-size-weighted average weighs each "
                        + "member by its training labels and needs at least one");
            }
        }

        @Override
        public double weightOf(MemberFigures member) {
            return member.trainCount();
        }
    }
}
