package io.warmstream.scorer.evaluation;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the test-set judge found, for the HTTP API and the gauges: per version and per member job id, the accuracy
 * on each test set. Bounded: the newest {@value #KEEP_VERSIONS} versions and the members they name.
 */
@Singleton
public final class EvaluationBoard {

    static final int KEEP_VERSIONS = 64;

    private final Map<Long, List<TestSetAccuracy>> versions = new ConcurrentHashMap<>();
    private final Map<String, List<TestSetAccuracy>> members = new ConcurrentHashMap<>();
    private volatile long newest = -1;

    void version(long version, List<TestSetAccuracy> accuracies) {
        versions.put(version, List.copyOf(accuracies));
        newest = Math.max(newest, version);
        versions.keySet().removeIf(v -> v <= newest - KEEP_VERSIONS);
    }

    void member(String jobId, List<TestSetAccuracy> accuracies) {
        members.put(jobId, List.copyOf(accuracies));
        if (members.size() > 4 * KEEP_VERSIONS) {
            members.keySet().stream().findFirst().ifPresent(members::remove);
        }
    }

    boolean hasMember(String jobId) {
        return members.containsKey(jobId);
    }

    /** The version's accuracies by test set; empty if it was not judged (yet). */
    public Map<String, TestSetAccuracy> forVersion(long version) {
        return byName(versions.get(version));
    }

    /** The member's accuracies by test set; empty if it was not judged (yet). */
    public Map<String, TestSetAccuracy> forMember(String jobId) {
        return byName(members.get(jobId));
    }

    /** The newest judged version, or -1. */
    public long newestVersion() {
        return newest;
    }

    private static Map<String, TestSetAccuracy> byName(List<TestSetAccuracy> list) {
        Map<String, TestSetAccuracy> out = new LinkedHashMap<>();
        if (list != null) {
            list.forEach(a -> out.put(a.testSet(), a));
        }
        return out;
    }
}
