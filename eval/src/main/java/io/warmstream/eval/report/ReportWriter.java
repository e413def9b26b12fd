package io.warmstream.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.eval.report.PaperResults.BestOfNPoint;
import io.warmstream.eval.report.PaperResults.ByM;
import io.warmstream.eval.report.PaperResults.Cost;
import io.warmstream.eval.report.PaperResults.Diversity;
import io.warmstream.eval.report.PaperResults.Interpolation;
import io.warmstream.eval.report.PaperResults.Member;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import io.warmstream.eval.report.PaperResults.Sanity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a paper check's results: report.md (tables), report.json (every number) and the PNG plots. Longer than most
 * classes because report.md is one document: its sections (one method each) share the number formats below, and
 * splitting them would spread one page's layout over several files.
 */
public final class ReportWriter {

    public static final String MARKDOWN = "report.md";
    public static final String JSON = "report.json";

    private ReportWriter() {
    }

    public static void write(PaperResults results, Path dir) {
        try {
            Files.createDirectories(dir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(),
                    results);
            List<String> plots = Charts.write(results, dir);
            Files.writeString(dir.resolve(MARKDOWN), markdown(results, plots));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir, e);
        }
    }

    /** Re-renders report.md and the plots from a folder's report.json (after a change to the report's layout). */
    public static void rewrite(Path dir) {
        try {
            PaperResults results = new ObjectMapper().readValue(dir.resolve(JSON).toFile(), PaperResults.class);
            write(results, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(JSON), e);
        }
    }

    /** {@code ReportWriter DIR}: re-renders the report in DIR from its report.json. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ReportWriter DIR (a folder holding report.json)");
            System.exit(2);
        }
        rewrite(Path.of(args[0]));
    }

    static String markdown(PaperResults r, List<String> plots) {
        Markdown md = new Markdown();
        Map<String, Object> env = r.environment();
        Map<String, Object> s = r.settings();
        md.line("# WARM paper checks on the preference world");
        md.line();
        md.line("`" + env.get("command") + "`  ");
        md.line(String.format(Locale.ROOT, "%s on %s (%s cores), %s; wall %s, process CPU %s; load average %s at "
                        + "start, %s at end; finished %s.", env.get("baseModel"), env.get("device"), env.get("cores"),
                env.get("architecture"), duration(env.get("wallSeconds")), duration(env.get("processCpuSeconds")),
                first3(env.get("loadAverageAtStart")), first3(env.get("loadAverageAtEnd")), env.get("finished")));
        if (env.get("time") instanceof Map<?, ?> t) {
            md.line(String.format(Locale.ROOT, "Training: %s steps in %s wall, %s CPU. Scoring: %s sequences in %s "
                            + "wall, %s CPU. The machine may be shared: the process's CPU time over the cores is the "
                            + "wall time it would need alone at full parallelism (here %s).", t.get("trainingSteps"),
                    duration(t.get("trainingWallSeconds")), duration(t.get("trainingCpuSeconds")),
                    t.get("scoredSequences"), duration(t.get("scoringWallSeconds")),
                    duration(t.get("scoringCpuSeconds")), duration(((Number) env.get("processCpuSeconds"))
                            .doubleValue() / ((Number) env.get("cores")).doubleValue())));
        }
        if (env.get("frozenPrefixCache") instanceof Map<?, ?> c) {
            md.line(String.format(Locale.ROOT, "The embeddings and bottom %s encoder layers are frozen, hence the "
                            + "same in every member, average and interpolation: their output was computed once for "
                            + "each of %s distinct sequences (%.0f MB) and reused; %s model scorings used it, %s ran "
                            + "the whole network (the checks below and any model whose bottom differed). Training "
                            + "runs the bottom without dropout (frozen feature extractor).", c.get("frozenLayers"),
                    c.get("sequences"), ((Number) c.get("megabytes")).doubleValue(), c.get("modelScoringsFromCache"),
                    c.get("modelScoringsWholeNetwork")));
        }
        md.line();
        md.line(String.format(Locale.ROOT, "%s members per noise level, each fine-tuned for %s steps of %s pairs "
                        + "(%s tokens, trainable top layers: %s) from the pretrained encoder with one shared LP head; "
                        + "%s training pairs, %s in-distribution and %s OOD held-out pairs; best-of-N on %s %s prompts "
                        + "with up to %s candidates each. Held-out accuracy is measured against the gold reward.",
                s.get("members"), s.get("steps"), s.get("batchSize"), s.get("maxLength"),
                layers(s.get("trainableTopLayers")), s.get("trainPairs"), s.get("validationPairs"),
                s.get("oodPairs"), s.get("bestOfNTasks"), s.get("bestOfNSplit"), s.get("maxN")));
        md.line();
        if (r.truncation() != null) {
            md.line(ReportSections.truncationLine(r.truncation()));
            md.line();
        }
        md.line("## The paper's claims, as measured here");
        md.line();
        md.line(String.format(Locale.ROOT, "M = %s; the best single RM is chosen on %s separate labelled pairs; "
                + "%s training seed(s).", s.get("members"), s.get("selectionPairs"), s.get("seeds")));
        md.line();
        b(md, ClaimsTable.markdown(r.claims()));
        md.line();
        md.line(ClaimsTable.legend());
        md.line();
        if (r.rl() != null) {
            ReportSections.rl(md, r.rl());
        }
        for (NoiseResult n : r.noise()) {
            noiseSection(md, n);
        }
        if (r.cost() != null) {
            costSection(md, r.cost());
        }
        md.line("## Plots");
        md.line();
        for (String p : plots) {
            md.line("![" + p + "](" + p + ")");
            md.line();
        }
        md.line("## Reproduce");
        md.line();
        md.line("The run is a pure function of these settings (seeded world, seeded members; bit-identical on CPU).");
        md.line();
        md.row("setting", "value");
        md.separator(2);
        s.forEach((k, v) -> md.row(k, String.valueOf(v)));
        md.line();
        md.line("Member recipes (the same at every noise level; seeds drive data order and dropout):");
        md.line();
        md.row("member", "seed", "learning rate", "dropout");
        md.separator(4);
        for (Member m : r.noise().get(0).members()) {
            md.row(String.valueOf(m.index()), String.valueOf(m.seed()), sci(m.learningRate()), f2(m.dropout()));
        }
        md.line();
        md.line("Every number above is in `report.json`.");
        return md.toString();
    }

    static void b(Markdown md, String block) {
        block.lines().forEach(md::line);
    }

    private static void noiseSection(Markdown md, NoiseResult n) {
        md.line(String.format(Locale.ROOT, "## %.0f%% of training labels flipped", n.flipFraction() * 100));
        md.line();
        md.line(String.format(Locale.ROOT, "%d training pairs, %d flipped; %d of them checked (all flipped-at-max "
                        + "pairs plus clean ones). Shared LP head: probe accuracy %s on the training labels.",
                n.trainPairs(), n.flippedTrainPairs(), n.checkedPairs(), f3(n.head().get("probe_accuracy"))));
        md.line();
        Map<String, Double> se = n.flippedPairsWrongStderr();
        if (se != null) {
            md.line(String.format(Locale.ROOT, "Standard errors of the flipped-pair agreement over those pairs (M = "
                    + "max): LP head %s, members' mean %s, ENS %s, WARM %s. The best single member (%d) was chosen on "
                    + "the selection pairs, not on the validation pairs it is scored on.", f3(se.get("lpOnly")),
                    f3(se.get("meanMember")), f3(se.get("ens")), f3(se.get("warm")), n.bestSingle()));
            md.line();
        }
        md.line("Agreement with flipped labels = memorisation (lower is better). At 0% the same pairs carry correct "
                + "labels, and the column shows how often a model prefers the gold-worse answer anyway (control).");
        md.line();
        md.row("model", "lr", "dropout", "final train loss", "flipped-pair agreement", "clean train acc",
                "validation acc", "validation acc (labels)", "OOD acc", "OOD loss");
        md.separator(10);
        measuresRow(md, "LP head only", "", "", "", n.lpOnly());
        for (Member m : n.members()) {
            measuresRow(md, "member " + m.index() + (m.index() == n.bestSingle() ? " (best single)" : ""),
                    sci(m.learningRate()), f2(m.dropout()), f3(m.finalTrainLoss()), m.measures());
        }
        ByM last = n.byM().get(n.byM().size() - 1);
        measuresRow(md, "ENS (M=" + last.m() + ")", "", "", "", last.ens());
        measuresRow(md, "WARM (M=" + last.m() + ")", "", "", "", last.warm());
        md.line();
        md.line("By number of members M (ENS and WARM of members 1..M; WARM - ENS is paired over the same pairs, "
                + "with its standard error):");
        md.line();
        md.row("M", "val ENS", "val WARM", "val members", "OOD ENS", "OOD WARM", "OOD members", "OOD WARM - ENS",
                "flipped agr. ENS", "flipped agr. WARM", "flipped agr. members");
        md.separator(11);
        for (ByM b : n.byM()) {
            md.row(String.valueOf(b.m()), f3(b.ens().validation()), f3(b.warm().validation()),
                    f3(b.meanMember().validation()), f3(b.ens().ood()), f3(b.warm().ood()),
                    f3(b.meanMember().ood()), pm(b.warmMinusEnsOod()), f3(b.ens().flippedPairsWrong()),
                    f3(b.warm().flippedPairsWrong()), f3(b.meanMember().flippedPairsWrong()));
        }
        md.line();
        md.line("Best-of-N: mean gold reward of the candidate each proxy picks among N (random = the mean candidate; "
                + "gold = the oracle's pick). Win rate: share of draws where one proxy's pick has the higher gold "
                + "reward, ties half.");
        md.line();
        md.line("± after each proxy: standard error over prompts; WARM - X: the paired difference over the same "
                + "prompts and candidates, with its standard error (smaller than the proxies' own SEs suggest).");
        md.line();
        md.row("N", "random", "best single (member " + n.bestSingle() + ")", "ENS", "WARM", "gold oracle",
                "WARM - best single", "WARM - ENS", "WARM wins vs best single", "ENS wins vs best single",
                "WARM wins vs ENS");
        md.separator(11);
        for (BestOfNPoint p : n.bestOfN()) {
            md.row(String.valueOf(p.n()), f3(p.random()), f3(p.bestSingle()) + " ± " + f3(p.bestSingleStderr()),
                    f3(p.ens()) + " ± " + f3(p.ensStderr()), f3(p.warm()) + " ± " + f3(p.warmStderr()),
                    f3(p.oracle()), pm(p.warmMinusBestSingle()), pm(p.warmMinusEns()),
                    f3(p.warmWinRateVsBestSingle()), f3(p.ensWinRateVsBestSingle()), f3(p.warmWinRateVsEns()));
        }
        md.line();
        if (!n.bestOfN().isEmpty() && n.bestOfN().get(0).warmPicks() != null) {
            md.line("What the picks contain (best single / WARM / gold oracle): salience-weighted coverage of the "
                    + "post's facts, invented facts, words, share stopping mid-clause.");
            md.line();
            md.row("N", "coverage", "invented facts", "words", "truncated");
            md.separator(5);
            for (BestOfNPoint p : n.bestOfN()) {
                md.row(String.valueOf(p.n()),
                        f3(p.singlePicks().coverage()) + " / " + f3(p.warmPicks().coverage()) + " / "
                                + f3(p.oraclePicks().coverage()),
                        f3(p.singlePicks().invented()) + " / " + f3(p.warmPicks().invented()) + " / "
                                + f3(p.oraclePicks().invented()),
                        String.format(Locale.ROOT, "%.1f / %.1f / %.1f", p.singlePicks().words(),
                                p.warmPicks().words(), p.oraclePicks().words()),
                        f3(p.singlePicks().truncated()) + " / " + f3(p.warmPicks().truncated()) + " / "
                                + f3(p.oraclePicks().truncated()));
            }
            md.line();
        }
        ReportSections.shiftedBestOfN(md, n);
        Interpolation in = n.interpolation();
        md.line(String.format(Locale.ROOT, "Interpolation between member %d and member %d (the pair furthest apart "
                + "in weight space): accuracy and loss (vs gold) on the first %d validation pairs of the interpolated "
                + "weights, against interpolating the two members' predicted rewards.", in.memberA(), in.memberB(),
                in.pairs()));
        md.line();
        md.row("lambda", "acc (weights)", "loss (weights)", "acc (predictions)", "loss (predictions)");
        md.separator(5);
        for (int i = 0; i < in.lambdas().size(); i++) {
            md.row(f2(in.lambdas().get(i)), f3(in.accuracy().get(i)),
                    f3(in.loss().get(i)) + " ± " + f3(in.lossStderr().get(i)), f3(in.predictionAccuracy().get(i)),
                    f3(in.predictionLoss().get(i)) + " ± " + f3(in.predictionLossStderr().get(i)));
        }
        md.line();
        ReportSections.interpolationSets(md, in);
        ReportSections.controls(md, n.controls());
        ReportSections.shift(md, n);
        Diversity d = n.diversity();
        md.line(String.format(Locale.ROOT, "Diversity: task-vector norms |theta_i - theta_init| %s; pairwise weight "
                        + "distances %s to %s; task-vector cosines %s to %s; |theta_WARM - theta_init| %s; members order "
                        + "%.1f%% of validation pairs differently from each other on average.", vector(d.taskVectorNorms()),
                f3(offDiagonal(d.distances(), true)), f3(offDiagonal(d.distances(), false)),
                f3(offDiagonal(d.cosines(), true)), f3(offDiagonal(d.cosines(), false)), f3(d.warmTaskVectorNorm()),
                100 * d.meanValidationDisagreement()));
        md.line();
        Sanity sn = n.sanity();
        md.line(String.format(Locale.ROOT, "Harness checks: WARM of member 1 alone has member 1's weights: %s "
                        + "(max reward difference %s); ENS of member 1 alone gives its rewards: %s%s%s.",
                yes(sn.warmOfOneSameWeights()), String.valueOf(sn.warmOfOneMaxRewardDifference()),
                yes(sn.ensOfOneEqualsMember()), sn.identicalAverageMaxDifference() == null ? ""
                        : "; averaging member 1 with itself returns its weights: "
                        + yes(sn.identicalAverageMaxDifference() == 0) + " (max |difference| "
                        + sn.identicalAverageMaxDifference() + ")",
                sn.cachedVsFullMaxRewardDifference() == null ? "" : String.format(Locale.ROOT, "; member 1 and "
                        + "WARM of M score the same from the cached frozen bottom as through their whole network: %s "
                        + "(max reward difference %.1e)", yes(sn.cachedVsFullMaxRewardDifference() <= 1e-5),
                        sn.cachedVsFullMaxRewardDifference())));
        md.line();
    }

    private static void costSection(Markdown md, Cost c) {
        md.line("## Cost at inference: ENS against WARM");
        md.line();
        md.line(String.format(Locale.ROOT, "%d sequences scored by ENS (%d members, one forward pass each) and by WARM "
                + "(one model, %,d parameters); models loaded beforehand; load average %.1f.", c.sequences(),
                c.members(), c.parametersPerModel(), c.loadAverage()));
        md.line();
        md.row("", "wall seconds", "process CPU seconds", "sequences / s", "parameters in memory");
        md.separator(5);
        md.row("ENS", f3(c.ensSeconds()), f3(c.ensCpuSeconds()), f1(c.ensSequencesPerSecond()),
                String.format(Locale.ROOT, "%,d", c.parametersPerModel() * c.members()));
        md.row("WARM", f3(c.warmSeconds()), f3(c.warmCpuSeconds()), f1(c.warmSequencesPerSecond()),
                String.format(Locale.ROOT, "%,d", c.parametersPerModel()));
        md.line();
        md.line(String.format(Locale.ROOT, "WARM is %.2fx faster (wall) and %.2fx cheaper (CPU) than ENS here.",
                c.speedup(), c.ensCpuSeconds() / c.warmCpuSeconds()));
        md.line();
    }

    private static void measuresRow(Markdown md, String name, String lr, String dropout, String loss, SetMeasures m) {
        md.row(name, lr, dropout, loss, f3(m.flippedPairsWrong()), f3(m.cleanTrain()), f3(m.validation()),
                f3(m.validationLabels()), f3(m.ood()), f3(m.oodLoss()));
    }

    private static double offDiagonal(double[][] m, boolean min) {
        double v = min ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (i != j && Double.isFinite(m[i][j])) {
                    v = min ? Math.min(v, m[i][j]) : Math.max(v, m[i][j]);
                }
            }
        }
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    private static String vector(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(b.length() == 0 ? "" : ", ").append(f3(x));
        }
        return b.toString();
    }

    static String pm(double[] diffAndSe) {
        return String.format(Locale.ROOT, "%+.3f ± %.3f", diffAndSe[0], diffAndSe[1]);
    }

    private static String layers(Object v) {
        return Integer.valueOf(-1).equals(v) ? "all" : String.valueOf(v);
    }

    private static String yes(boolean b) {
        return b ? "yes" : "NO";
    }

    private static String first3(Object loadavg) {
        String[] parts = String.valueOf(loadavg).split(" ");
        return parts.length >= 3 ? parts[0] + " " + parts[1] + " " + parts[2] : String.valueOf(loadavg);
    }

    private static String duration(Object seconds) {
        long s = Math.round(((Number) seconds).doubleValue());
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    static String f1(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
    }

    static String f2(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
    }

    static String f3(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }

    static String f3(Object v) {
        return v instanceof Number n ? f3(n.doubleValue()) : "n/a";
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.1e", v);
    }

    /** A markdown buffer with table helpers. */
    static final class Markdown {
        private final StringBuilder b = new StringBuilder();

        void line(String s) {
            b.append(s).append('\n');
        }

        void line() {
            b.append('\n');
        }

        void row(String... cells) {
            b.append("| ");
            for (int i = 0; i < cells.length; i++) {
                b.append(cells[i].replace("|", "\\|")).append(i + 1 < cells.length ? " | " : " |\n");
            }
        }

        void separator(int columns) {
            b.append("|").append("---|".repeat(columns)).append('\n');
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
