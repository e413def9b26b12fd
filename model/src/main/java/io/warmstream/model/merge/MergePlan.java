package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a fold reads and how it combines it: the input directories in the kernel's order, the per-tensor kernel, and
 * the merge record (parameters, members with their weights) the result carries.
 */
public record MergePlan(List<Path> inputs, TensorKernel kernel, MergeRecord record) {

    public MergePlan {
        inputs = List.copyOf(inputs);
        if (inputs.size() != kernel.arity()) {
            throw new IllegalArgumentException("kernel takes " + kernel.arity() + " inputs, plan has " + inputs.size());
        }
    }

    /** The first member is the average: a copy of the new model. */
    static MergePlan first(FoldRequest request, Map<String, Object> parameters, List<Member> members) {
        return new MergePlan(List.of(request.newModel()), new BatchMean(1),
                new MergeRecord(request.strategyName(), parameters, 1, members));
    }

    /** A fold of (average, new model) with a two-input kernel. */
    static MergePlan pairwise(FoldRequest request, TensorKernel kernel, Map<String, Object> parameters,
                              List<Member> members) {
        return new MergePlan(List.of(request.currentAverage(), request.newModel()), kernel,
                new MergeRecord(request.strategyName(), parameters, request.folds(), members));
    }
}
