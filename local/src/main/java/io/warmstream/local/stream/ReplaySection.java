package io.warmstream.local.stream;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The stream report's strategy comparison ({@link StrategyReplay}): a Markdown table and strategies.png. */
final class ReplaySection {

    static final String PLOT = "strategies.png";

    private ReplaySection() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> replay) {
        if (replay == null || !replay.containsKey("strategies")) {
            return replay == null || replay.isEmpty() ? "" : "\n## Strategies on identical members\n\n" + replay + "\n";
        }
        String reference = (String) replay.get("reference");
        StringBuilder md = new StringBuilder("\n## Strategies on identical members\n\n");
        md.append("The ").append(((List<?>) replay.get("members")).size()).append(" members the run's merger folded, ")
                .append("in its order, folded again under each strategy (").append(replay.get("parameters"))
                .append("); every average judged on the gold test sets. Differences are paired per test pair against `")
                .append(reference).append("`.\n\n");
        md.append("| strategy | final, in-distribution | vs ").append(reference)
                .append(" | final, out-of-distribution | vs ").append(reference)
                .append(" | mean over the stream, in / out |\n|---|---|---|---|---|---|\n");
        Map<String, Object> strategies = (Map<String, Object>) replay.get("strategies");
        for (Map.Entry<String, Object> e : strategies.entrySet()) {
            Map<String, Object> curve = (Map<String, Object>) e.getValue();
            Map<String, Object> last = (Map<String, Object>) curve.get("final");
            Map<String, Object> mean = (Map<String, Object>) curve.get("meanOverStream");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.3f / %.3f |%n", e.getKey(),
                    pm(last, StreamReport.GOLD_ID, "Se"), pm(last, StreamReport.GOLD_ID, "VsReference"),
                    pm(last, StreamReport.GOLD_OOD, "Se"), pm(last, StreamReport.GOLD_OOD, "VsReference"),
                    number(mean.get(StreamReport.GOLD_ID)), number(mean.get(StreamReport.GOLD_OOD))));
        }
        md.append("\n![gold accuracy of each strategy's average against labels](").append(PLOT).append(")\n");
        return md.toString();
    }

    @SuppressWarnings("unchecked")
    static void plot(Map<String, Object> replay, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(480)
                .title("Strategies on identical members (gold, in-distribution)")
                .xAxisTitle("training labels of the newest member").yAxisTitle("gold accuracy (± s.e.)").build();
        Map<String, Object> strategies = (Map<String, Object>) replay.get("strategies");
        double low = 1;
        for (Map.Entry<String, Object> e : strategies.entrySet()) {
            List<Map<String, Object>> points = (List<Map<String, Object>>) ((Map<String, Object>) e.getValue()).get("points");
            double[] x = points.stream().mapToDouble(p -> ((Number) p.get("trainLabels")).doubleValue()).toArray();
            double[] y = points.stream().mapToDouble(p -> number(p.get(StreamReport.GOLD_ID))).toArray();
            double[] err = points.stream().mapToDouble(p -> number(p.get(StreamReport.GOLD_ID + "Se"))).toArray();
            XYSeries s = chart.addSeries(e.getKey(), x, y, err);
            s.setMarker(SeriesMarkers.CIRCLE);
            for (double v : y) {
                low = Math.min(low, v);
            }
        }
        chart.getStyler().setYAxisMin(Math.max(0.5, Math.floor(low * 20) / 20 - 0.05)).setYAxisMax(1.0);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static String pm(Map<String, Object> point, String key, String suffix) {
        Object value = point.get(suffix.equals("Se") ? key : key + suffix);
        Object se = point.get(suffix.equals("Se") ? key + "Se" : key + suffix + "Se");
        if (!(value instanceof Number v) || !(se instanceof Number e)) {
            return "–";
        }
        String sign = suffix.equals("Se") ? "" : "+";
        return String.format(Locale.ROOT, "%" + sign + ".3f ± %.3f", v.doubleValue(), e.doubleValue());
    }

    private static double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
