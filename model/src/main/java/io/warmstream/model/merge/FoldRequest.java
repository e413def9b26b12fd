package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelManifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One fold as a {@link MergeMethod} plans it.
 *
 * @param currentAverage the average to fold into; null to start one
 * @param previous       the average's merge record; null to start one
 * @param newModel       the new member's directory
 * @param incoming       the new member's manifest
 * @param weight         the member's weight ({@link MergeMethod#weightOf}); methods that ignore weights ignore it
 */
public record FoldRequest(Path currentAverage, MergeRecord previous, Path newModel, ModelManifest incoming,
                          String jobId, double weight, MergeSettings settings) {

    public boolean first() {
        return previous == null;
    }

    /** The strategy's config name, recorded in the merge record. */
    public String strategyName() {
        return settings.strategy().configName();
    }

    /** The folds of the result: one more than the average's. */
    public long folds() {
        return previous == null ? 1 : previous.folds() + 1;
    }

    /** The average's members followed by the new one, with {@code memberWeight} in the merge record. */
    public List<Member> membersWith(double memberWeight) {
        List<Member> members = previous == null ? new ArrayList<>() : new ArrayList<>(previous.members());
        members.add(new Member(jobId, incoming.weightsSha256(), memberWeight));
        return members;
    }
}
