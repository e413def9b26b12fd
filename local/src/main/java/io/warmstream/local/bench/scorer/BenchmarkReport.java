package io.warmstream.local.bench.scorer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the measurements of all rounds. Each workload is reported by its median round; comparisons are the median
 * of per-round ratios, so a burst of load from other processes (the machine is shared) affects both sides of a ratio
 * measured minutes apart less than it would the ratio of two medians.
 */
final class BenchmarkReport {

    private final Map<String, List<Measurement>> byName = new LinkedHashMap<>();
    private final Map<String, Map<Integer, Measurement>> byRound = new HashMap<>();
    private final Map<String, double[]> batches = new HashMap<>();

    void add(int round, Measurement m) {
        byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
        byRound.computeIfAbsent(m.name(), k -> new HashMap<>()).put(round, m);
    }

    /** Forward batches and items the scorer ran during a workload (from its listener). */
    void batches(String name, long count, long items) {
        double[] b = batches.computeIfAbsent(name, k -> new double[2]);
        b[0] += count;
        b[1] += items;
    }

    Map<String, Object> results() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : byName.keySet()) {
            Map<String, Object> m = median(name).json();
            double[] b = batches.get(name);
            if (b != null && b[0] > 0) {
                m.put("mean_forward_batch", Measurement.round(b[1] / b[0]));
            }
            out.put(name, m);
        }
        return out;
    }

    Measurement median(String name) {
        List<Measurement> ms = new ArrayList<>(byName.getOrDefault(name, List.of()));
        if (ms.isEmpty()) return null;
        ms.sort(Comparator.comparingDouble(Measurement::rewardsPerSecond));
        return ms.get((ms.size() - 1) / 2);
    }

    /** Median over rounds of a's rewards/s over b's; null if either was not measured. */
    Double ratio(String a, String b) {
        return medianOfRounds(a, b, (x, y) -> x.rewardsPerSecond() / y.rewardsPerSecond());
    }

    /** Median over rounds of b's CPU time per reward over a's: above 1, a costs less CPU per reward. */
    Double cpuRatio(String a, String b) {
        return medianOfRounds(a, b, (x, y) -> y.cpuMsPerItem() / x.cpuMsPerItem());
    }

    /** a against the better of b1 and b2 in each round. */
    Double ratioToBest(String a, String b1, String b2) {
        Map<Integer, Measurement> xs = byRound.get(a);
        Map<Integer, Measurement> y1 = byRound.get(b1);
        Map<Integer, Measurement> y2 = byRound.get(b2);
        if (xs == null || y1 == null || y2 == null) return null;
        List<Double> r = new ArrayList<>();
        xs.forEach((round, x) -> {
            if (y1.containsKey(round) && y2.containsKey(round)) {
                double best = Math.max(y1.get(round).rewardsPerSecond(), y2.get(round).rewardsPerSecond());
                r.add(x.rewardsPerSecond() / best);
            }
        });
        return median(r);
    }

    private interface Pair {
        double of(Measurement a, Measurement b);
    }

    private Double medianOfRounds(String a, String b, Pair f) {
        Map<Integer, Measurement> xs = byRound.get(a);
        Map<Integer, Measurement> ys = byRound.get(b);
        if (xs == null || ys == null) return null;
        List<Double> r = new ArrayList<>();
        xs.forEach((round, x) -> {
            Measurement y = ys.get(round);
            if (y != null) r.add(f.of(x, y));
        });
        return median(r);
    }

    private static Double median(List<Double> r) {
        if (r.isEmpty()) return null;
        r.sort(Double::compare);
        int n = r.size();
        double m = n % 2 == 1 ? r.get(n / 2) : (r.get(n / 2 - 1) + r.get(n / 2)) / 2;
        return Measurement.round(m);
    }
}
