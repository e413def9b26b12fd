package io.warmstream.local.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every benchmark {@code warm bench} knows, in the order it runs them (cheapest first, the long stream run last). */
public final class BenchmarkCatalogue {

    private BenchmarkCatalogue() {
    }

    public static Map<String, Benchmark> all(PrintStream progress) {
        Map<String, Benchmark> all = new LinkedHashMap<>();
        for (Benchmark b : List.of(new FoldBench(), new IngestBench(), new MergerBench(), new TrainerBench(),
                new ScorerBench(), new ModelBench(), new FreshnessBench(progress))) {
            all.put(b.name(), b);
        }
        return all;
    }

    /** The named ones in catalogue order, or all of them when none is named. */
    public static List<Benchmark> select(List<String> names, PrintStream progress) {
        Map<String, Benchmark> all = all(progress);
        if (names == null || names.isEmpty()) {
            return new ArrayList<>(all.values());
        }
        for (String n : names) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("unknown benchmark '" + n + "': expected one of " + all.keySet());
            }
        }
        return all.values().stream().filter(b -> names.contains(b.name())).toList();
    }
}
