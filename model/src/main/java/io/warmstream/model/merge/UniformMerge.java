package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;

import java.util.LinkedHashMap;
import java.util.List;

/** WARM: the uniform running mean, the k-th member weighted 1/k ({@link RunningAverage#uniformFold}). */
final class UniformMerge implements MergeMethod {

    @Override
    public MergePlan plan(FoldRequest request) {
        List<Member> members = request.membersWith(1.0);
        return request.first() ? MergePlan.first(request, new LinkedHashMap<>(), members)
                : MergePlan.pairwise(request, RunningAverage.uniformFold(members.size()), new LinkedHashMap<>(),
                members);
    }
}
