package io.warmstream.local.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark whose measuring code is a {@code main} printing JSON (the modules' benchmarks, runnable on their own
 * too): runs it in a child JVM with full or quick settings and turns its JSON into the table's figures.
 */
abstract class ChildJvmBenchmark implements Benchmark {

    static final Path LOGS = Path.of(System.getProperty("java.io.tmpdir"), "warm-bench-logs");

    /** The class whose main measures. */
    abstract String mainClass();

    /** Heap and system properties (bench.*) for the child JVM. */
    abstract List<String> jvmOptions(BenchOptions options);

    List<String> args(BenchOptions options) {
        return List.of();
    }

    abstract List<Figure> figures(RawFigures raw);

    /** What the figures were measured on, taken from the benchmark's own JSON. */
    Map<String, Object> facts(RawFigures raw, BenchOptions options) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("architecture", options.architecture());
        facts.put("randomWeights", options.randomWeights());
        return facts;
    }

    Duration timeout(BenchOptions options) {
        return options.quick() ? Duration.ofMinutes(15) : Duration.ofMinutes(90);
    }

    @Override
    public Outcome run(BenchOptions options) throws Exception {
        List<String> jvm = new ArrayList<>(options.modelProperties());
        jvm.addAll(jvmOptions(options));
        Map<String, Object> raw = new ChildJvm(LOGS, timeout(options), classpath(options)).run(name(), mainClass(), jvm, args(options));
        RawFigures figures = new RawFigures(raw);
        Map<String, Object> facts = facts(figures, options);
        facts.put("mainClass", mainClass());
        facts.put("jvmOptions", jvm);
        facts.put("args", args(options));
        return new Outcome(figures(figures), raw, facts);
    }
}
