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

/**
 * The report's PNG plots, drawn with XChart (headless). One method per plot over a shared style (frame, legend
 * inside, error bars): long because the report has a dozen plots, not because any one of them does several jobs.
 */
final class Charts {

    private static final int WIDTH = 560;
    private static final int HEIGHT = 560;
    private static final Color WARM = new Color(0xD6, 0x4F, 0x1E);
    private static final Color ENS = new Color(0x2B, 0x6C, 0xB0);
    private static final Color SINGLE = new Color(0x55, 0x55, 0x55);
    private static final Color ORACLE = new Color(0x3A, 0x9A, 0x4A);
    private static final Color RANDOM = new Color(0xAA, 0xAA, 0xAA);
    private static final BasicStroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
            10f, new float[] {6f, 4f}, 0f);

    private Charts() {
    }

    /** Writes every plot into {@code dir}; returns the file names. */
    static List<String> write(PaperResults results, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> files = new ArrayList<>();
        List<NoiseResult> noise = results.noise();
        int validation = number(results.settings().get("validationPairs"));
        int ood = number(results.settings().get("oodPairs"));
        files.add(save(grid(noise, r -> accuracyByM(r, validation, ood)), 1, noise.size(), dir,
                "accuracy-vs-m.png"));
        files.add(save(grid(noise, Charts::bestOfN), 1, noise.size(), dir, "best-of-n.png"));
        if (noise.stream().allMatch(r -> r.shiftedBestOfN() != null)) {
            files.add(save(grid(noise, r -> bestOfN(r.shiftedBestOfN(), "Best-of-N, shifted policy, unseen topics, "
                    + level(r))), 1, noise.size(), dir, "best-of-n-shifted.png"));
        }
        List<Chart<?, ?>> curves = new ArrayList<>(grid(noise, Charts::interpolation));
        curves.addAll(grid(noise, Charts::interpolationLoss));
        files.add(save(curves, 2, noise.size(), dir, "interpolation.png"));
        files.add(save(List.of(memorisation(noise)), 1, 1, dir, "memorisation.png"));
        if (noise.stream().allMatch(r -> r.controls() != null && r.interpolation().oodAccuracy() != null)) {
            files.add(save(grid(noise, r -> mScaling(r, ood)), 1, noise.size(), dir, "m-scaling.png"));
            files.add(save(grid(noise, Charts::interpolationSets), 1, noise.size(), dir, "interpolation-sets.png"));
        }
        if (noise.stream().allMatch(r -> r.shift() != null && !r.shift().isEmpty())) {
            files.add(save(grid(noise, Charts::shift), 1, noise.size(), dir, "shift.png"));
        }
        if (results.rl() != null) {
            files.add(save(results.rl().levels().stream().<Chart<?, ?>>map(Charts::rl).toList(), 1,
                    results.rl().levels().size(), dir, "rl-gold-vs-kl.png"));
        }
        return files;
    }

    private interface PerLevel {
        Chart<?, ?> chart(NoiseResult r);
    }

    private static List<Chart<?, ?>> grid(List<NoiseResult> noise, PerLevel f) {
        return noise.stream().<Chart<?, ?>>map(f::chart).toList();
    }

    private static String save(List<Chart<?, ?>> charts, int rows, int columns, Path dir, String name)
            throws IOException {
        Path file = dir.resolve(name);
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.get(0), file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(new ArrayList<>(charts), rows, columns, file.toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
        return name;
    }

    /** Error bars: one binomial standard error of each accuracy (members' mean: none, it is not one model). */
    static XYChart accuracyByM(NoiseResult r, int validationPairs, int oodPairs) {
        XYChart c = xy("Accuracy vs M, " + level(r) + " (bars: 1 SE)", "M (members averaged / ensembled)",
                "accuracy vs gold");
        double[] m = r.byM().stream().mapToDouble(ByM::m).toArray();
        double[] warmOod = values(r.byM(), b -> b.warm().ood());
        double[] ensOod = values(r.byM(), b -> b.ens().ood());
        double[] warmVal = values(r.byM(), b -> b.warm().validation());
        double[] ensVal = values(r.byM(), b -> b.ens().validation());
        line(c, "WARM OOD", m, warmOod, binomial(warmOod, oodPairs), WARM, false);
        line(c, "ENS OOD", m, ensOod, binomial(ensOod, oodPairs), ENS, false);
        line(c, "members' mean OOD", m, values(r.byM(), b -> b.meanMember().ood()), null, SINGLE, false);
        line(c, "WARM validation", m, warmVal, binomial(warmVal, validationPairs), WARM, true);
        line(c, "ENS validation", m, ensVal, binomial(ensVal, validationPairs), ENS, true);
        line(c, "members' mean validation", m, values(r.byM(), b -> b.meanMember().validation()), null, SINGLE,
                true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    static XYChart bestOfN(NoiseResult r) {
        return bestOfN(r.bestOfN(), "Best-of-N judged by gold, " + level(r));
    }

    static XYChart bestOfN(List<BestOfNPoint> points, String title) {
        XYChart c = xy(title + " (bars: 1 SE)", "N (log2)", "mean gold reward of the pick");
        double[] n = points.stream().mapToDouble(p -> Math.log(p.n()) / Math.log(2)).toArray();
        line(c, "WARM", n, values(points, BestOfNPoint::warm), values(points, BestOfNPoint::warmStderr), WARM, false);
        line(c, "ENS", n, values(points, BestOfNPoint::ens), values(points, BestOfNPoint::ensStderr), ENS, false);
        line(c, "best single RM", n, values(points, BestOfNPoint::bestSingle),
                values(points, BestOfNPoint::bestSingleStderr), SINGLE, false);
        line(c, "gold (oracle)", n, values(points, BestOfNPoint::oracle), null, ORACLE, true);
        line(c, "random (mean candidate)", n, values(points, BestOfNPoint::random), null, RANDOM, true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    static XYChart interpolation(NoiseResult r) {
        Interpolation in = r.interpolation();
        XYChart c = xy(String.format(Locale.ROOT, "Member %d -> member %d, %s", in.memberA(), in.memberB(), level(r)),
                "lambda", "validation accuracy vs gold");
        double[] l = in.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
        double[] acc = doubles(in.accuracy());
        double[] pred = doubles(in.predictionAccuracy());
        line(c, "weights (1-l)A + lB", l, acc, binomial(acc, in.pairs()), WARM, false);
        line(c, "predictions (1-l)rA + l rB", l, pred, binomial(pred, in.pairs()), ENS, true);
        return c;
    }

    /**
     * The loss along the path, what "no barrier" is about: the interpolated weights' loss against the straight line
     * between the end points' losses (a barrier is the weights' curve rising above that line). Bars: 1 SE over pairs.
     */
    static XYChart interpolationLoss(NoiseResult r) {
        Interpolation in = r.interpolation();
        XYChart c = xy(String.format(Locale.ROOT, "Loss, member %d -> member %d, %s (bars: 1 SE)", in.memberA(),
                in.memberB(), level(r)), "lambda", "validation BT loss vs gold");
        double[] l = in.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
        double[] loss = doubles(in.loss());
        double first = loss[0];
        double last = loss[loss.length - 1];
        double[] straight = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            straight[i] = (1 - l[i]) * first + l[i] * last;
        }
        line(c, "weights (1-l)A + lB", l, loss, in.lossStderr() == null ? null : doubles(in.lossStderr()), WARM,
                false);
        line(c, "predictions (1-l)rA + l rB", l, doubles(in.predictionLoss()),
                in.predictionLossStderr() == null ? null : doubles(in.predictionLossStderr()), ENS, true);
        line(c, "end points' losses, straight line", l, straight, null, SINGLE, true);
        return c;
    }

    /**
     * The RL stand-in: expected gold reward of each proxy's KL-regularised policy against its KL from the base policy
     * (bars: 1 bootstrap SE over prompts and seeds); the base policy's gold is the random baseline.
     */
    static XYChart rl(PaperResults.RlLevel level) {
        XYChart c = xy("RL stand-in (tilted policies), " + level.level() + " (bars: 1 SE)",
                "KL(policy || base), nats", "expected gold reward");
        List<PaperResults.RlPoint> p = level.curve();
        double[] kl = values(p, PaperResults.RlPoint::kl);
        line(c, "WARM", kl, values(p, PaperResults.RlPoint::warm), values(p, PaperResults.RlPoint::warmSe), WARM,
                false);
        line(c, "ENS", kl, values(p, PaperResults.RlPoint::ens), values(p, PaperResults.RlPoint::ensSe), ENS, false);
        line(c, "best single RM", kl, values(p, PaperResults.RlPoint::bestSingle),
                values(p, PaperResults.RlPoint::bestSingleSe), SINGLE, false);
        line(c, "base policy (random)", kl, values(p, PaperResults.RlPoint::base), null, RANDOM, true);
        return c;
    }

    /** OOD and validation accuracy by M over random subsets of members (bars: 1 binomial SE). */
    static XYChart mScaling(NoiseResult r, int oodPairs) {
        List<PaperResults.MScalingPoint> p = r.controls().mScaling();
        XYChart c = xy("Accuracy vs M, random subsets, " + level(r) + " (bars: 1 SE)", "M (members per subset)",
                "accuracy vs gold, mean over subsets");
        double[] m = values(p, PaperResults.MScalingPoint::m);
        double[] warmOod = values(p, PaperResults.MScalingPoint::warmOod);
        double[] ensOod = values(p, PaperResults.MScalingPoint::ensOod);
        line(c, "WARM OOD", m, warmOod, binomial(warmOod, oodPairs), WARM, false);
        line(c, "ENS OOD", m, ensOod, binomial(ensOod, oodPairs), ENS, false);
        line(c, "WARM validation", m, values(p, PaperResults.MScalingPoint::warmValidation), null, WARM, true);
        line(c, "ENS validation", m, values(p, PaperResults.MScalingPoint::ensValidation), null, ENS, true);
        line(c, "random ranking", m, constant(m.length, 0.5), null, RANDOM, true);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    /**
     * Along the interpolation path between the two most distant members: agreement with the flipped training labels
     * (memorisation), with the clean training labels, and accuracy on validation and OOD pairs (the paper's Figure 4).
     */
    static XYChart interpolationSets(NoiseResult r) {
        Interpolation in = r.interpolation();
        XYChart c = xy(String.format(Locale.ROOT, "Member %d -> member %d by set, %s", in.memberA(), in.memberB(),
                level(r)), "lambda", "accuracy / agreement");
        double[] l = in.lambdas().stream().mapToDouble(Double::doubleValue).toArray();
        line(c, "train, flipped labels (memorisation)", l, doubles(in.trainFlippedAgreement()), null, ORACLE, false);
        line(c, "train, clean labels", l, doubles(in.trainCleanAgreement()), null, SINGLE, false);
        line(c, "validation vs gold", l, doubles(in.accuracy()), null, WARM, false);
        line(c, "OOD vs gold", l, doubles(in.oodAccuracy()), null, ENS, false);
        line(c, "random", l, constant(l.length, 0.5), null, RANDOM, true);
        return c;
    }

    /**
     * WARM's accuracy advantage against the policy shift, on seen and on unseen topics (bars: 1 paired SE); 0 = no
     * advantage.
     */
    static XYChart shift(NoiseResult r) {
        XYChart c = xy("WARM's advantage vs shift, " + level(r) + " (bars: 1 SE)", "policy shift (0 = training policy)",
                "accuracy difference vs gold");
        for (String topics : List.of("seen", "unseen")) {
            List<PaperResults.ShiftPoint> p = r.shift().stream().filter(x -> x.topics().equals(topics)).toList();
            double[] x = values(p, PaperResults.ShiftPoint::policyShift);
            boolean dashed = topics.equals("seen");
            line(c, "WARM - ENS, " + topics + " topics", x, values(p, q -> q.warmMinusEns()[0]),
                    values(p, q -> q.warmMinusEns()[1]), ENS, dashed);
            line(c, "WARM - members' mean, " + topics + " topics", x, values(p, q -> q.warmMinusMembers()[0]),
                    values(p, q -> q.warmMinusMembers()[1]), SINGLE, dashed);
        }
        double[] x = values(r.shift().stream().filter(q -> q.topics().equals("seen")).toList(),
                PaperResults.ShiftPoint::policyShift);
        line(c, "no advantage", x, constant(x.length, 0), null, RANDOM, true);
        return c;
    }

    private static double[] constant(int n, double v) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, v);
        return out;
    }

    private static double[] binomial(double[] p, int n) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = n > 0 ? Math.sqrt(Math.max(0, p[i] * (1 - p[i])) / n) : 0;
        }
        return out;
    }

    private static double[] doubles(List<Double> list) {
        return list.stream().mapToDouble(v -> v == null || !Double.isFinite(v) ? 0 : v).toArray();
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    static CategoryChart memorisation(List<NoiseResult> noise) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH + 80).height(HEIGHT)
                .title("Preference for the flipped (gold-worse) answer on the flipped pairs")
                .xAxisTitle("training labels flipped (at 0%: same pairs, correct labels = control)")
                .yAxisTitle("share of flipped pairs").build();
        style(c.getStyler());
        List<String> levels = noise.stream().map(Charts::level).toList();
        c.addSeries("LP head only", levels, noise.stream().map(r -> r.lpOnly().flippedPairsWrong()).toList(),
                errors(noise, "lpOnly"));
        c.addSeries("members' mean", levels, noise.stream().map(r -> last(r).meanMember().flippedPairsWrong())
                .toList(), errors(noise, "meanMember"));
        c.addSeries("ENS", levels, noise.stream().map(r -> last(r).ens().flippedPairsWrong()).toList(),
                errors(noise, "ens"));
        c.addSeries("WARM", levels, noise.stream().map(r -> last(r).warm().flippedPairsWrong()).toList(),
                errors(noise, "warm"));
        c.getStyler().setSeriesColors(new Color[] {ORACLE, SINGLE, ENS, WARM});
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static List<Double> errors(List<NoiseResult> noise, String model) {
        return noise.stream().map(r -> r.flippedPairsWrongStderr() == null ? 0.0
                : r.flippedPairsWrongStderr().getOrDefault(model, 0.0)).map(v -> Double.isFinite(v) ? v : 0).toList();
    }

    private static ByM last(NoiseResult r) {
        return r.byM().get(r.byM().size() - 1);
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c.getStyler());
        c.getStyler().setErrorBarsColorSeriesColor(true);
        return c;
    }

    /**
     * Legend inside the frame (the issue asks for it there; outside it was clipped or shrank the plot), one entry per
     * line, on a translucent box so the curves behind it stay visible.
     */
    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setLegendPosition(Styler.LegendPosition.InsideSE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 200));
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        s.setChartBackgroundColor(Color.WHITE);
        s.setYAxisDecimalPattern("0.000");
    }

    private static void line(XYChart c, String name, double[] x, double[] y, double[] errors, Color color,
                             boolean dashed) {
        XYSeries s = errors == null ? c.addSeries(name, x, y) : c.addSeries(name, x, y, errors);
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
