package io.warmstream.local.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the stream report: report.json, report.md, gold-vs-labels.png and, after a replay, strategies.png. */
final class StreamReportWriter {

    static final String JSON = "report.json";
    static final String MARKDOWN = "report.md";
    static final String PLOT = "gold-vs-labels.png";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StreamReportWriter() {
    }

    static void write(Map<String, Object> report, Path dir) {
        try {
            Files.createDirectories(dir);
            MAPPER.writeValue(dir.resolve(JSON).toFile(), report);
            Files.writeString(dir.resolve(MARKDOWN), markdown(report));
            plot(report, dir.resolve(PLOT));
            if (report.get("replay") instanceof Map<?, ?> replay && replay.containsKey("strategies")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> section = (Map<String, Object>) replay;
                ReplaySection.plot(section, dir.resolve(ReplaySection.PLOT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stream report into " + dir, e);
        }
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        StringBuilder md = new StringBuilder("# Stream experiment: does the served reward model improve as labels arrive?\n\n");
        md.append('`').append(report.get("command")).append("`  \n");
        md.append("Machine: ").append(report.get("machine")).append("; load average at the end ")
                .append(((Map<String, Object>) report.get("machineAtEnd")).get("loadAverage")).append(".\n\n");
        md.append("## Summary (first strategy)\n\n| figure | value |\n|---|---|\n");
        ((Map<String, Object>) report.get("summary")).forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(text(v)).append(" |\n"));
        md.append("\nThe world: ").append(report.get("world")).append(".\n\n");
        md.append("One model on all labels (same compute as all members together): ").append(report.get("allLabelsBaseline"))
                .append(".\n");
        Map<String, Object> strategies = (Map<String, Object>) report.get("strategies");
        for (Map.Entry<String, Object> e : strategies.entrySet()) {
            Map<String, Object> one = (Map<String, Object>) e.getValue();
            md.append("\n## Strategy `").append(e.getKey()).append("`\n\nStopped: ").append(one.get("stopReason"))
                    .append("; ").append(one.get("labelsAccepted")).append(" labels accepted; members trained ")
                    .append(one.get("memberSteps")).append(" steps in all.\n\n");
            md.append("Freshness (medians over the served versions, seconds, as the scorer measured them when it started "
                    + "serving each; backlog peaks with one trainer): ").append(one.get("freshness")).append(".\n\n");
            md.append("Served versions, judged on the gold test sets (accuracy ± standard error):\n\n");
            md.append("| version | members | training labels | gold in-distribution | gold out-of-distribution | held-out labels | minutes |\n|---|---|---|---|---|---|---|\n");
            for (Map<String, Object> v : (List<Map<String, Object>>) one.get("versions")) {
                md.append(String.format(Locale.ROOT, "| v%s | %s | %s | %s | %s | %s | %s |%n", v.get("version"),
                        v.get("members"), v.get("trainLabels"), pm(v, "goldId"), pm(v, "goldOod"),
                        text(v.get("heldOutAccuracy")), text(v.get("minutes"))));
            }
            md.append("\nMembers (training loss: the mean Bradley-Terry loss of the last 10 steps; 0.693 is a model that "
                    + "always answers 50/50):\n\n| job | training labels | steps | learning rate | training loss "
                    + "| gold in-distribution | gold out-of-distribution |\n|---|---|---|---|---|---|---|\n");
            for (Map<String, Object> m : (List<Map<String, Object>>) one.get("members")) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", m.get("jobId"),
                        m.get("trainLabels"), m.get("steps"), m.get("learningRate") instanceof Double r ? String.format(Locale.ROOT, "%.1e", r) : "?",
                        text(m.get("finalTrainingLoss")), pm(m, "goldId"), pm(m, "goldOod")));
            }
            List<Map<String, Object>> refused = (List<Map<String, Object>>) one.getOrDefault("rejected", List.of());
            if (!refused.isEmpty()) {
                md.append("\nCheckpoints the merger refused (not members of any version):\n\n"
                        + "| job | reason | detail |\n|---|---|---|\n");
                for (Map<String, Object> r : refused) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", r.get("jobId"), r.get("reason"),
                            String.valueOf(r.get("detail")).replace("|", "/")));
                }
            }
        }
        md.append("\n![gold accuracy against labels](").append(PLOT).append(")\n");
        md.append(ReplaySection.markdown((Map<String, Object>) report.get("replay")));
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    static void plot(Map<String, Object> report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(480).title("Gold accuracy of the served versions")
                .xAxisTitle("training labels behind the version").yAxisTitle("gold accuracy (± s.e.)").build();
        chart.getStyler().setYAxisMin(0.5).setYAxisMax(1.0);
        Map<String, Object> strategies = (Map<String, Object>) report.get("strategies");
        double maxLabels = 1;
        for (Map.Entry<String, Object> e : strategies.entrySet()) {
            List<Map<String, Object>> rows = ((List<Map<String, Object>>) ((Map<String, Object>) e.getValue()).get("versions"))
                    .stream().filter(v -> v.get("goldId") != null).toList();
            if (rows.isEmpty()) {
                continue;
            }
            for (String set : List.of("goldId", "goldOod")) {
                double[] x = rows.stream().mapToDouble(v -> ((Number) v.get("trainLabels")).doubleValue()).toArray();
                double[] y = rows.stream().mapToDouble(v -> v.get(set) == null ? Double.NaN : (Double) v.get(set)).toArray();
                double[] err = rows.stream().mapToDouble(v -> v.get(set + "Se") == null ? 0 : (Double) v.get(set + "Se")).toArray();
                XYSeries s = chart.addSeries(e.getKey() + (set.equals("goldId") ? " in-distribution" : " out-of-distribution"), x, y, err);
                s.setMarker(SeriesMarkers.CIRCLE);
                for (double v : x) {
                    maxLabels = Math.max(maxLabels, v);
                }
            }
        }
        Map<String, Object> baseline = (Map<String, Object>) report.get("allLabelsBaseline");
        Object id = baseline.get(StreamReport.ID);
        if (id instanceof Map<?, ?> m && m.get("accuracy") instanceof Number a) {
            XYSeries s = chart.addSeries("one model on all labels (in-distribution)", new double[] {0, maxLabels},
                    new double[] {a.doubleValue(), a.doubleValue()});
            s.setMarker(SeriesMarkers.NONE);
        }
        if (chart.getSeriesMap().isEmpty()) {
            chart.addSeries("no version judged", new double[] {0}, new double[] {0.5});
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String pm(Map<String, Object> row, String name) {
        Object a = row.get(name);
        Object se = row.get(name + "Se");
        return a == null ? "–" : String.format(Locale.ROOT, "%.3f ± %.3f", (Double) a, (Double) se);
    }

    private static String text(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.3f", d);
        }
        return String.valueOf(v);
    }
}
