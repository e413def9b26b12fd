package io.warmstream.local.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/results/summary.json: the headline figures, each taken from the result file that measured it
 * (a result's {@code summary} map), with that file's name and machine facts beside it. A figure no result file has
 * yet is null, so a missing measurement shows.
 */
public final class BenchSummary {

    /** The names, in this order; issue #13 fixes them. */
    public static final List<String> NAMES = List.of("checkpoint_to_served_p50_s", "newest_label_age_p50_s",
            "training_time_p50_s", "max_queued_jobs_per_trainer", "trainer_cached_vs_uncached", "demo_minutes");

    private BenchSummary() {
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> build(List<ResultFiles.Result> results) {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, Object> sources = new LinkedHashMap<>();
        Map<String, Object> machines = new LinkedHashMap<>();
        NAMES.forEach(n -> figures.put(n, null));
        for (ResultFiles.Result r : results) {
            Object s = r.content().get("summary");
            if (!(s instanceof Map<?, ?> summary)) {
                continue;
            }
            for (String name : NAMES) {
                if (summary.containsKey(name)) {
                    figures.put(name, summary.get(name));
                    sources.put(name, r.file());
                    machines.put(r.file(), r.content().get("machine"));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(figures);
        out.put("sources", sources);
        out.put("machine", machines);
        return out;
    }
}
