package io.warmstream.model.merge;

import io.warmstream.model.weights.Member;
import io.warmstream.model.weights.MergeRecord;
import io.warmstream.model.weights.ModelDirectory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mean of the newest K members, recomputed from their files at each fold ({@link BatchMean} over K readers): a
 * mean cannot forget a member without it. Needs a {@link MemberLocator} to find the members' directories.
 */
final class SlidingWindowMerge implements MergeMethod {

    @Override
    public void requireSettings(MergeSettings settings) {
        if (settings.memberLocator() == null) {
            throw new IllegalArgumentException("strategy sliding-window needs a memberLocator to find member files");
        }
    }

    @Override
    public MergePlan plan(FoldRequest request) {
        int window = request.settings().windowSize();
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("window", window);
        List<Member> members = request.membersWith(1.0);
        while (members.size() > window) {
            members.remove(0);
        }
        List<Path> inputs = new ArrayList<>();
        for (Member m : members.subList(0, members.size() - 1)) {
            inputs.add(locate(request.settings().memberLocator(), m));
        }
        inputs.add(request.newModel());
        return new MergePlan(inputs, new BatchMean(inputs.size()),
                new MergeRecord(request.strategyName(), parameters, request.folds(), members));
    }

    /** A window member's directory, checked to hold the very weights the average recorded. */
    private static Path locate(MemberLocator locator, Member member) {
        Path dir = locator.directoryOf(member);
        if (dir == null) {
            throw new IncompatibleModelException(IncompatibleModelException.Kind.MEMBER_MISMATCH,
                    "no directory for window member " + member.jobId());
        }
        String sha = ModelDirectory.readManifest(dir).weightsSha256();
        if (!sha.equals(member.sha256())) {
            throw new IncompatibleModelException(IncompatibleModelException.Kind.MEMBER_MISMATCH, "window member "
                    + member.jobId() + " at " + dir + " has sha256 " + sha + " but the average recorded "
                    + member.sha256());
        }
        return dir;
    }
}
