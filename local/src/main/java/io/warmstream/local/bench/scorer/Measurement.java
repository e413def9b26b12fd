package io.warmstream.local.bench.scorer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One timed workload: rewards per second (wall), latency percentiles per request, and this process's CPU time per
 * reward, which load from other processes on a shared machine distorts less than wall time.
 */
record Measurement(String name, int threads, int itemsPerRequest, long requests, long items, long errors, double seconds,
                   double p50Ms, double p99Ms, double cpuMsPerItem) {

    double rewardsPerSecond() {
        return items / seconds;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rewards_per_s", round(rewardsPerSecond()));
        m.put("p50_ms", round(p50Ms));
        m.put("p99_ms", round(p99Ms));
        m.put("cpu_ms_per_reward", round(cpuMsPerItem));
        m.put("client_threads", threads);
        m.put("items_per_request", itemsPerRequest);
        m.put("requests", requests);
        m.put("errors", errors);
        m.put("seconds", round(seconds));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
