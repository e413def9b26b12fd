package io.warmstream.local.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import io.warmstream.local.stream.StreamExperiment;
import io.warmstream.local.stream.StreamExperimentSettings;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Freshness from a stream run of the real services with the demo's CPU settings (as {@code ./warm eval --stream}
 * runs them): the newest label's age when its version was first served beside the newest member's training time
 * (the target: age at most training time + 10 s), checkpoint to served, and the queue's peak. Either runs
 * the stream for {@link BenchOptions#freshnessTime()} or reads an existing stream report
 * ({@link BenchOptions#freshnessFrom()}), which the result then names as its source.
 */
final class FreshnessBench implements Benchmark {

    /** Where a run's own stream report goes, inside the results folder (it is the result's source). */
    static final String STREAM_DIR = "freshness-stream";

    private final PrintStream progress;

    FreshnessBench(PrintStream progress) {
        this.progress = progress;
    }

    @Override
    public String name() {
        return "freshness";
    }

    @Override
    public String yardstick() {
        return "the newest member's training time in the same run";
    }

    @Override
    public Outcome run(BenchOptions options) throws Exception {
        Path source;
        Map<String, Object> report;
        if (options.freshnessFrom() != null) {
            source = options.freshnessFrom().resolve("report.json").toFile().isFile()
                    ? options.freshnessFrom().resolve("report.json") : options.freshnessFrom();
            report = ResultFiles.JSON.readValue(source.toFile(), new TypeReference<Map<String, Object>>() {});
        } else {
            Path dir = options.outDir().resolve(STREAM_DIR);
            StreamExperimentSettings s = settings(options, dir);
            report = StreamExperiment.run(s, options.command() + " (stream run: preset " + s.preset() + ")", progress);
            source = dir.resolve("report.json");
        }
        return fromReport(report, source.toString());
    }

    /** The CPU demo's settings (tiny with --quick), labels fed for the whole time, no all-labels baseline, no replay. */
    static StreamExperimentSettings settings(BenchOptions options, Path dir) {
        StreamExperimentSettings preset = StreamExperimentSettings.preset(options.quick() ? "tiny" : "cpu", dir);
        long seconds = options.freshnessTime().toSeconds();
        long labels = Math.max(1, Math.round(preset.rate() * seconds));
        return preset.with(labels, null, null, options.freshnessTime(), 0, List.of(), Map.of());
    }

    @SuppressWarnings("unchecked")
    static Outcome fromReport(Map<String, Object> report, String source) {
        Map<String, Object> strategies = (Map<String, Object>) report.get("strategies");
        String strategy = strategies.keySet().iterator().next();
        Map<String, Object> run = (Map<String, Object>) strategies.get(strategy);
        RawFigures fresh = new RawFigures((Map<String, Object>) run.get("freshness"));
        Double minutes = new RawFigures((Map<String, Object>) run.get("summary")).number("wall_minutes");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("checkpoint_to_served_p50_s", fresh.number("checkpoint_to_served_p50_s"));
        summary.put("newest_label_age_p50_s", fresh.number("newest_label_age_p50_s"));
        summary.put("training_time_p50_s", fresh.number("training_time_p50_s"));
        summary.put("max_queued_jobs_per_trainer", fresh.value("max_queued_jobs_per_trainer"));
        summary.put("demo_minutes", minutes == null ? null : Math.round(minutes * 10) / 10.0);

        List<Figure> figures = List.of(
                Figure.against("newest label's age when its version was served, median",
                        fresh.number("newest_label_age_p50_s"), "s",
                        "newest member's training time, median", fresh.number("training_time_p50_s")),
                Figure.alone("checkpoint to served, median", fresh.number("checkpoint_to_served_p50_s"), "s"),
                // Where that time goes: the merger (vet, fold, held-out checks, write, publish) and the scorer's load.
                Figure.alone("checkpoint to published (the merger), median",
                        medianSeconds((List<Map<String, Object>>) run.get("served"), "checkpointToServedMs",
                                "publishedToServedMs"), "s"),
                Figure.alone("published to served (the scorer's load), median",
                        medianSeconds((List<Map<String, Object>>) run.get("served"), "publishedToServedMs", null), "s"),
                Figure.alone("queue wait of the newest member, median", fresh.number("queue_wait_p50_s"), "s"),
                Figure.alone("most jobs queued per trainer", fresh.number("max_queued_jobs_per_trainer"), "jobs"),
                Figure.alone("served versions measured", fresh.number("served_versions"), "versions"),
                Figure.alone("of which loaded ahead of their publication", fresh.number("loaded_ahead_versions"),
                        "versions"),
                Figure.alone("stream run length", minutes, "min"));

        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("source", source);
        facts.put("sourceCommand", report.get("command"));
        facts.put("strategy", strategy);
        facts.put("settings", report.get("settings"));
        facts.put("summary", summary);
        facts.put("measuredOn", measuredOn(report));
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("freshness", run.get("freshness"));
        raw.put("served", run.get("served"));
        return new Outcome(figures, raw, facts);
    }

    /** Median over the served versions of {@code field} (minus {@code minus} when given), in seconds; null if none. */
    static Double medianSeconds(List<Map<String, Object>> served, String field, String minus) {
        if (served == null) {
            return null;
        }
        double[] v = served.stream()
                .filter(r -> r.get(field) instanceof Number && (minus == null || r.get(minus) instanceof Number))
                .mapToDouble(r -> (((Number) r.get(field)).doubleValue()
                        - (minus == null ? 0 : ((Number) r.get(minus)).doubleValue())) / 1000)
                .sorted().toArray();
        if (v.length == 0) {
            return null;
        }
        double m = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return Math.round(m * 1000) / 1000.0;
    }

    /** The stream report's own machine facts, in the result files' names: the figures were measured then. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> measuredOn(Map<String, Object> report) {
        Map<String, Object> machine = new LinkedHashMap<>((Map<String, Object>) report.getOrDefault("machine", Map.of()));
        Object start = machine.remove("loadAverage");
        machine.put("loadAverageAtStart", start);
        Object end = ((Map<String, Object>) report.getOrDefault("machineAtEnd", Map.of())).get("loadAverage");
        machine.put("loadAverageAtEnd", end);
        machine.put("finishedAt", report.get("finishedAt"));
        return machine;
    }
}
