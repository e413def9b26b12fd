package io.warmstream.eval.report;

import io.warmstream.eval.report.PaperResults.BestOfNPoint;
import io.warmstream.eval.report.PaperResults.ByM;
import io.warmstream.eval.report.PaperResults.Interpolation;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart (headless). */
final class Charts {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 460;
    private static final Color WARM = new Color(0xD6, 0x4F, 0x1E);
    private static final Color ENS = new Color(0x2B, 0x6C, 0xB0);
    private static final Color SINGLE = new Color(0x55, 0x55, 0x55);
    private static final Color ORACLE = new Color(0x3A, 0x9A, 0x4A);
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /** Writes every plot into {@code dir}; returns the file names. */
    static List<String> write(PaperResults results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        List<NoiseResult> noise = results.noise();
        files.add(save(grid(noise, Charts::accuracyByM), noise.size(), dir, "accuracy-vs-m.png"));
        files.add(save(grid(noise, Charts::bestOfN), noise.size(), dir, "best-of-n.png"));
        files.add(save(grid(noise, Charts::interpolation), noise.size(), dir, "interpolation.png"));
        files.add(save(List.of(memorisation(noise)), 1, dir, "memorisation.png"));
        return files;
    }

    private interface PerLevel {
        Chart<?, ?> chart(NoiseResult r);
    }

    private static List<Chart<?, ?>> grid(List<NoiseResult> noise, PerLevel f) {
        return noise.stream().<Chart<?, ?>>map(f::chart).toList();
    }

    private static String save(List<Chart<?, ?>> charts, int columns, Path dir, String name) throws IOException {
        Path file = dir.resolve(name);
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(new ArrayList<>(charts), 1, columns, file.toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
        return name;
    }

    static XYChart accuracyByM(NoiseResult r) {
        XYChart c = xy("Accuracy vs M, " + level(r), "M (members averaged / ensembled)", "accuracy vs gold");
        double[] m = r.byM().stream().mapToDouble(ByM::m).toArray();
        line(c, "WARM OOD", m, values(r.byM(), b -> b.warm().ood()), WARM, false);
        line(c, "ENS OOD", m, values(r.byM(), b -> b.ens().ood()), ENS, false);
        line(c, "members' mean OOD", m, values(r.byM(), b -> b.meanMember().ood()), SINGLE, false);
        line(c, "WARM validation", m, values(r.byM(), b -> b.warm().validation()), WARM, true);
        line(c, "ENS validation", m, values(r.byM(), b -> b.ens().validation()), ENS, true);
        line(c, "members' mean validation", m, values(r.byM(), b -> b.meanMember().validation()), SINGLE, true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    static XYChart bestOfN(NoiseResult r) {
        XYChart c = xy("Best-of-N judged by gold, " + level(r), "N (log2)", "mean gold reward of the pick");
        double[] n = r.bestOfN().stream().mapToDouble(p -> Math.log(p.n()) / Math.log(2)).toArray();
        line(c, "WARM", n, values(r.bestOfN(), BestOfNPoint::warm), WARM, false);
        line(c, "ENS", n, values(r.bestOfN(), BestOfNPoint::ens), ENS, false);
        line(c, "best single RM", n, values(r.bestOfN(), BestOfNPoint::bestSingle), SINGLE, false);
        line(c, "gold (oracle)", n, values(r.bestOfN(), BestOfNPoint::oracle), ORACLE, true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    static XYChart interpolation(NoiseResult r) {
        Interpolation in = r.interpolation();
        XYChart c = xy(String.format(Locale.ROOT, "Member %d -> member %d, %s", in.memberA(), in.memberB(), level(r)),
                "lambda", "validation accuracy vs gold");
        double[] l = in.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
        line(c, "weights (1-l)A + lB", l, in.accuracy().stream().mapToDouble(Double::doubleValue).toArray(), WARM,
                false);
        line(c, "predictions (1-l)rA + l rB", l,
                in.predictionAccuracy().stream().mapToDouble(Double::doubleValue).toArray(), ENS, true);
        return c;
    }

    static CategoryChart memorisation(List<NoiseResult> noise) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH + 80).height(HEIGHT)
                .title("Preference for the flipped (gold-worse) answer on the flipped pairs")
                .xAxisTitle("training labels flipped (at 0%: same pairs, correct labels = control)")
                .yAxisTitle("share of flipped pairs").build();
        style(c.getStyler());
        List<String> levels = noise.stream().map(Charts::level).toList();
        c.addSeries("LP head only", levels, noise.stream().map(r -> r.lpOnly().flippedPairsWrong()).toList());
        c.addSeries("members' mean", levels, noise.stream().map(r -> last(r).meanMember().flippedPairsWrong())
                .toList());
        c.addSeries("ENS", levels, noise.stream().map(r -> last(r).ens().flippedPairsWrong()).toList());
        c.addSeries("WARM", levels, noise.stream().map(r -> last(r).warm().flippedPairsWrong()).toList());
        c.getStyler().setSeriesColors(new Color[] {ORACLE, SINGLE, ENS, WARM});
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static ByM last(NoiseResult r) {
        return r.byM().get(r.byM().size() - 1);
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        return c;
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartBackgroundColor(Color.WHITE);
        s.setYAxisDecimalPattern("0.000");
    }

    private static void line(XYChart c, String name, double[] x, double[] y, Color color, boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(dashed ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        if (dashed) {
            s.setLineStyle(DASHED);
        }
    }

    private static <T> double[] values(List<T> list, ToDoubleFunction<T> f) {
        return list.stream().mapToDouble(f).map(v -> Double.isFinite(v) ? v : 0).toArray();
    }

    private static String level(NoiseResult r) {
        return String.format(Locale.ROOT, "%.0f%% flipped", r.flipFraction() * 100);
    }
}
