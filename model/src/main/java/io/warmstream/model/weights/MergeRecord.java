package io.warmstream.model.weights;

import java.util.List;
import java.util.Map;

/**
 * How an average was made: the strategy's config name, its parameters, how many models were folded in overall,
 * and the members that define it now (all of them, or the newest K for a sliding window), oldest first.
 */
public record MergeRecord(String strategy, Map<String, Object> parameters, long folds, List<Member> members) {

    public MergeRecord {
        if (strategy == null || strategy.isBlank()) {
            throw new IllegalArgumentException("merge strategy must not be blank");
        }
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        members = List.copyOf(members);
        if (folds < members.size()) {
            throw new IllegalArgumentException("folds " + folds + " < members " + members.size());
        }
    }

    public double weightSum() {
        double sum = 0;
        for (Member m : members) {
            sum += m.weight();
        }
        return sum;
    }

    public boolean hasMember(String jobId) {
        return members.stream().anyMatch(m -> m.jobId().equals(jobId));
    }
}
