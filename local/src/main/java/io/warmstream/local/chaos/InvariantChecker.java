package io.warmstream.local.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The invariants of issue 14, checked on what a run left behind ({@link ChaosHistory}). Each result says held or
 * broken, with up to {@link #MAX_DETAILS} concrete offenders, and the counts the report's summary needs.
 */
public final class InvariantChecker {

    static final int MAX_DETAILS = 20;
    /** Reason codes that can only come from the store or the registry being away, never from the checkpoint itself. */
    static final Set<String> OUTAGE_REASONS = Set.of("UNREADABLE", "UNDECODABLE", "HASH_MISMATCH");
    static final Pattern OUTAGE_DETAIL = Pattern.compile(
            "(?i)unavailable|unreachable|cannot be reached|connection refused|timed? ?out|registry|not a readable");

    /** One invariant: held or not, and why not. */
    public record Result(String name, boolean held, long violations, List<String> details) {
    }

    /** Every result plus the summary counts. */
    public record Outcome(List<Result> results, long labelsLost, long labelsDuplicated, long membersDuplicated,
                          long scoringFailuresOutsideOwnKill) {
        public long broken() {
            return results.stream().filter(r -> !r.held()).count();
        }
    }

    private InvariantChecker() {
    }

    public static Outcome check(ChaosHistory h) {
        List<Result> results = new ArrayList<>();
        Map<String, Integer> onTopic = counts(h.preferenceKeys());
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (String id : new HashSet<>(h.acceptedLabelIds())) {
            int n = onTopic.getOrDefault(id, 0);
            if (n == 0) lost.add(id);
            if (n > 1) duplicated.add(id + " x" + n);
        }
        results.add(result("labels_exactly_once", lost.size() + duplicated.size(),
                concat(prefix("lost ", lost), prefix("duplicated ", duplicated))));

        List<String> jobs = new ArrayList<>();
        for (String job : new HashSet<>(h.jobIds())) {
            List<String> endings = h.jobEndings().getOrDefault(job, List.of());
            if (endings.size() != 1) jobs.add(job + " " + (endings.isEmpty() ? "never ended" : "ended " + endings));
        }
        results.add(result("jobs_end_once", jobs.size(), jobs));

        results.add(checkpointsSettled(h));
        results.add(noOutageRejections(h));

        List<String> gaps = versionGaps(h.versions());
        results.add(result("versions_contiguous", gaps.size(), gaps));
        List<String> dupMembers = new ArrayList<>();
        for (ChaosHistory.Version v : h.versions()) {
            counts(v.members()).forEach((job, n) -> {
                if (n > 1) dupMembers.add("version " + v.version() + " has " + job + " x" + n);
            });
        }
        results.add(result("members_once_per_version", dupMembers.size(), dupMembers));

        List<String> outside = new ArrayList<>();
        for (ChaosHistory.ScoringFailure f : h.scoringFailures()) {
            boolean own = h.scorerDown().getOrDefault(f.scorer(), List.of()).stream().anyMatch(w -> w.contains(f.at()));
            if (!own) outside.add(java.time.Instant.ofEpochMilli(f.at()) + " " + f.scorer() + ": " + f.error());
        }
        results.add(result("scoring_fails_only_while_own_scorer_down", outside.size(), outside));
        results.add(result("no_orphaned_files", h.orphans().size(), h.orphans()));
        return new Outcome(results, lost.size(), duplicated.size(), dupMembers.size(), outside.size());
    }

    /** Each checkpoint record is answered once: folded in (it enters the members) or rejected, never both or twice. */
    private static Result checkpointsSettled(ChaosHistory h) {
        Map<String, Integer> folds = new HashMap<>();
        Set<String> previous = Set.of();
        for (ChaosHistory.Version v : sortedVersions(h.versions())) {
            Set<String> now = new HashSet<>(v.members());
            for (String m : now) {
                if (!previous.contains(m)) folds.merge(m, 1, Integer::sum);
            }
            previous = now;
        }
        Map<String, Integer> rejected = counts(h.rejections().stream().map(ChaosHistory.Rejection::jobId).toList());
        List<String> wrong = new ArrayList<>();
        counts(h.checkpointJobIds()).forEach((job, n) -> {
            int f = folds.getOrDefault(job, 0);
            int r = rejected.getOrDefault(job, 0);
            if (f > 1 || f + r != n) wrong.add(job + ": " + n + " checkpoint(s), folded " + f + ", rejected " + r);
        });
        folds.forEach((job, f) -> {
            if (!h.checkpointJobIds().contains(job)) wrong.add(job + ": a member without a checkpoint");
        });
        return result("checkpoints_folded_or_rejected_once", wrong.size(), wrong);
    }

    private static Result noOutageRejections(ChaosHistory h) {
        List<String> wrong = new ArrayList<>();
        for (ChaosHistory.Rejection r : h.rejections()) {
            if (OUTAGE_REASONS.contains(r.reasonCode()) || OUTAGE_DETAIL.matcher(r.detail()).find()) {
                wrong.add(r.jobId() + " " + r.reasonCode() + ": " + r.detail());
            }
        }
        return result("no_rejection_for_an_outage", wrong.size(), wrong);
    }

    /** Per key, version numbers run 1, 2, 3... with none missing and none published twice. */
    static List<String> versionGaps(List<ChaosHistory.Version> versions) {
        Map<String, TreeMap<Long, Integer>> byKey = new LinkedHashMap<>();
        for (ChaosHistory.Version v : versions) {
            byKey.computeIfAbsent(v.key(), k -> new TreeMap<>()).merge(v.version(), 1, Integer::sum);
        }
        List<String> wrong = new ArrayList<>();
        byKey.forEach((key, numbers) -> {
            long expected = 1;
            for (Map.Entry<Long, Integer> e : numbers.entrySet()) {
                if (e.getKey() != expected) wrong.add(key + ": version " + e.getKey() + " follows " + (expected - 1));
                if (e.getValue() > 1) wrong.add(key + ": version " + e.getKey() + " published " + e.getValue() + " times");
                expected = e.getKey() + 1;
            }
        });
        return wrong;
    }

    private static List<ChaosHistory.Version> sortedVersions(List<ChaosHistory.Version> versions) {
        List<ChaosHistory.Version> sorted = new ArrayList<>(versions);
        sorted.sort((a, b) -> Long.compare(a.version(), b.version()));
        return sorted;
    }

    private static Result result(String name, long violations, List<String> details) {
        return new Result(name, violations == 0, violations, details.stream().sorted().limit(MAX_DETAILS).toList());
    }

    private static Map<String, Integer> counts(List<String> values) {
        Map<String, Integer> m = new HashMap<>();
        values.forEach(v -> m.merge(v, 1, Integer::sum));
        return m;
    }

    private static List<String> prefix(String p, List<String> values) {
        return values.stream().map(v -> p + v).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
