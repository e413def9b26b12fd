package io.warmstream.scorer.evaluation;

import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the test-set judge found, for the HTTP API and the gauges: per version and per member job id, the accuracy
 * on each test set, and per version its paired change against the version judged before it. Bounded: the newest
 * {@value #KEEP_VERSIONS} versions (with their per-pair outcomes, a few kilobytes each) and the members they name.
 */
@Singleton
public final class EvaluationBoard {

    static final int KEEP_VERSIONS = 64;

    private final NavigableMap<Long, List<TestSetOutcomes>> versions = new ConcurrentSkipListMap<>();
    private final Map<String, List<TestSetAccuracy>> members = new ConcurrentHashMap<>();
    private volatile long newest = -1;

    void version(long version, List<TestSetOutcomes> outcomes) {
        versions.put(version, List.copyOf(outcomes));
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
        List<TestSetOutcomes> outcomes = versions.get(version);
        return byName(outcomes == null ? null : outcomes.stream().map(TestSetOutcomes::accuracy).toList());
    }

    /**
     * By test set, the version's paired change against the newest version judged before it (the one this scorer
     * served before, as withheld versions are not served or judged); empty for the first one, or if either is gone.
     */
    public Map<String, PairedChange> changeOf(long version) {
        Map<String, PairedChange> out = new LinkedHashMap<>();
        List<TestSetOutcomes> newer = versions.get(version);
        Map.Entry<Long, List<TestSetOutcomes>> before = versions.lowerEntry(version);
        if (newer == null || before == null) {
            return out;
        }
        for (TestSetOutcomes n : newer) {
            before.getValue().stream()
                    .filter(o -> o.testSet().equals(n.testSet()) && o.right().length == n.right().length)
                    .findFirst().ifPresent(o -> out.put(n.testSet(), PairedChange.of(before.getKey(), n, o)));
        }
        return out;
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
