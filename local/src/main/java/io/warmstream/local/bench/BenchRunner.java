package io.warmstream.local.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the selected benchmarks one after another (never side by side: they would measure each other), writes
 * bench/results/NAME.json for each that finished, then rebuilds summary.json and BENCHMARKS.md from every result
 * file in the folder, so figures from earlier runs stay until a benchmark is run again.
 */
public final class BenchRunner {

    public static final String TABLE = "BENCHMARKS.md";

    private final BenchOptions options;
    private final Path repository;
    private final PrintStream progress;

    public BenchRunner(BenchOptions options, Path repository, PrintStream progress) {
        this.options = options;
        this.repository = repository;
        this.progress = progress;
    }

    /** @return the names of the benchmarks that failed (their earlier result files are kept) */
    public List<String> run(List<Benchmark> benchmarks) {
        List<String> failed = new ArrayList<>();
        Map<String, Object> wholeClasspath = ClasspathJars.measure(System.getProperty("java.class.path"));
        int i = 0;
        for (Benchmark b : benchmarks) {
            i++;
            progress.printf("bench %d/%d %s: running beside its yardstick (%s)%s%n", i, benchmarks.size(), b.name(),
                    b.yardstick(), options.quick() ? ", quick" : "");
            Map<String, Object> machine = MachineFacts.atStart(repository);
            long started = System.nanoTime();
            try {
                Benchmark.Outcome outcome = b.run(options);
                machine.putAll(MachineFacts.atEnd());
                Path file = options.outDir().resolve(b.name() + ".json");
                ResultFiles.write(file, result(b, outcome, machine, wholeClasspath));
                progress.printf("bench %s: done in %.0f s -> %s%n", b.name(), (System.nanoTime() - started) / 1e9, file);
                outcome.figures().forEach(f -> progress.println("  " + line(f)));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failed.add(b.name());
                progress.printf("bench %s: FAILED after %.0f s: %s%n", b.name(), (System.nanoTime() - started) / 1e9, e);
            }
        }
        List<ResultFiles.Result> all = ResultFiles.read(options.outDir());
        ResultFiles.write(options.outDir().resolve(ResultFiles.SUMMARY), BenchSummary.build(all));
        Path table = options.outDir().toAbsolutePath().getParent().resolve(TABLE);
        String link = table.getParent().relativize(options.outDir().toAbsolutePath()).toString();
        try {
            Files.writeString(table, BenchmarksTable.render(all, link));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        progress.println("bench: " + options.outDir().resolve(ResultFiles.SUMMARY) + " and " + table + " rebuilt from "
                + all.size() + " result files");
        return failed;
    }

    private Map<String, Object> result(Benchmark b, Benchmark.Outcome outcome, Map<String, Object> machine,
                                       Map<String, Object> wholeClasspath) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("benchmark", b.name());
        r.put("command", options.command());
        r.put("quick", options.quick());
        r.put("yardstick", b.yardstick());
        r.put("figures", outcome.figures().stream().map(Figure::toMap).toList());
        Object summary = outcome.facts().get("summary");
        if (summary != null) {
            r.put("summary", summary);
        }
        Map<String, Object> facts = new LinkedHashMap<>(outcome.facts());
        facts.remove("summary");
        Object measuredOn = facts.remove("measuredOn");
        r.put("facts", facts);
        if (measuredOn != null) {
            // Figures taken from an earlier run's report: its machine is the one that measured them.
            r.put("machine", measuredOn);
            r.put("machineWhenRecorded", machine);
        } else {
            r.put("machine", machine);
        }
        if (b.runsOnKit()) {
            // It ran on the bench kit's classpath: those are the jars it needs (see BenchKit).
            Map<String, Object> kit = new LinkedHashMap<>();
            kit.put("classpath", "bench kit");
            kit.putAll(ClasspathJars.measure(b.classpath(options)));
            r.put("jars", kit);
            r.put("wholeClasspathJars", wholeClasspath);
        } else {
            Map<String, Object> whole = new LinkedHashMap<>();
            whole.put("classpath", "whole");
            whole.putAll(wholeClasspath);
            r.put("jars", whole);
        }
        r.put("raw", outcome.raw());
        return r;
    }

    private static String line(Figure f) {
        String s = f.what() + ": " + BenchmarksTable.number(f.value()) + " " + (f.unit() == null ? "" : f.unit());
        if (f.hasYardstick()) {
            s += " vs " + BenchmarksTable.number(f.yardstickValue()) + " " + (f.unit() == null ? "" : f.unit())
                    + " (" + f.yardstickWhat() + "), ratio "
                    + BenchmarksTable.ratio(BenchmarksTable.number(f.value()), BenchmarksTable.number(f.yardstickValue()));
        }
        return s;
    }
}
