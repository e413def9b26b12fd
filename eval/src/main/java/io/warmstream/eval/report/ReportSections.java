package io.warmstream.eval.report;

import static io.warmstream.eval.report.ReportWriter.b;
import static io.warmstream.eval.report.ReportWriter.f2;
import static io.warmstream.eval.report.ReportWriter.f3;
import static io.warmstream.eval.report.ReportWriter.pm;

import io.warmstream.eval.report.PaperResults.BestOfNPoint;
import io.warmstream.eval.report.PaperResults.Interpolation;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import io.warmstream.eval.report.ReportWriter.Markdown;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections beyond the original checks: the RL stand-in, truncation, the shifted policy's best-of-N,
 * interpolation on every set, M-scaling over random subsets with the controls, and the shift sweep. Each section is
 * skipped when its numbers are missing (reports written before it existed).
 */
final class ReportSections {

    private ReportSections() {
    }

    private static void rlRow(Markdown md, String pool, PaperResults.RlLevel l) {
        md.row(pool, l.level(), f2(l.kl()), String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", l.winRateVsBestSingle(),
                l.winRateVsBestSingleCiLow(), l.winRateVsBestSingleCiHigh()), String.format(Locale.ROOT,
                "%.3f [%.3f, %.3f]", l.winRateVsEns(), l.winRateVsEnsCiLow(), l.winRateVsEnsCiHigh()));
    }

    /** One line: the share of pairs cut by the token budget per split, and the budget 99% of them fit in. */
    static String truncationLine(Map<String, Object> t) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Truncation at %s tokens (share of pairs whose "
                + "longer sequence is cut; 99th percentile of their length): ", t.get("maxLength")));
        boolean first = true;
        for (Map.Entry<String, Object> e : t.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                b.append(first ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f%%", 100 * ((Number) m.get("truncatedShare"))
                                .doubleValue()))
                        .append(" (p99 ").append(m.get("p99Tokens")).append(')');
                first = false;
            }
        }
        b.append(Boolean.TRUE.equals(t.get("underOnePercent")) ? ". Under 1% everywhere: the models see the whole text."
                : ". **Above the 1% the issue allows**: the cut removes the end of the post (the outcome fact comes "
                + "last), so the RMs cannot check every fact; a budget at the p99 lengths would fix it at "
                + "proportional cost.");
        return b.toString();
    }

    static void rl(Markdown md, PaperResults.Rl rl) {
        md.line("## RL stand-in: KL-regularised policies at matched KL");
        md.line();
        b(md, ClaimsTable.rlLine(rl));
        md.line();
        md.line("Method: " + rl.method() + ".");
        md.line();
        md.row("candidates", "noise", "KL", "WARM wins vs best single (95% CI)", "WARM wins vs ENS (95% CI)");
        md.separator(5);
        for (PaperResults.RlLevel l : rl.levels()) {
            rlRow(md, "training policy, seen topics", l);
        }
        if (rl.shiftedPolicy() != null) {
            for (PaperResults.RlLevel l : rl.shiftedPolicy()) {
                rlRow(md, "shifted policy, unseen topics", l);
            }
        }
        md.line();
        md.line("Expected gold reward of each proxy's policy along the KL sweep (± bootstrap SE; base = the base "
                + "policy, KL 0):");
        md.line();
        md.row("noise", "KL", "base", "best single", "ENS", "WARM", "WARM wins vs best single");
        md.separator(7);
        for (PaperResults.RlLevel l : rl.levels()) {
            for (PaperResults.RlPoint p : l.curve()) {
                md.row(l.level(), f2(p.kl()), f3(p.base()), f3(p.bestSingle()) + " ± " + f3(p.bestSingleSe()),
                        f3(p.ens()) + " ± " + f3(p.ensSe()), f3(p.warm()) + " ± " + f3(p.warmSe()),
                        f3(p.warmWinRateVsBestSingle()) + " ± " + f3(p.warmWinRateVsBestSingleSe()));
            }
        }
        md.line();
    }

    static void controls(Markdown md, PaperResults.Controls c) {
        if (c == null) {
            return;
        }
        md.line("M-scaling over random subsets (the table above averages members 1..M in one fixed order): ENS and "
                + "WARM of m members averaged over that many random subsets; WARM - ENS paired over the same pairs "
                + "(SE over pairs, not over the choice of subsets).");
        md.line();
        md.row("M", "subsets", "val ENS", "val WARM", "OOD ENS", "OOD WARM", "OOD WARM - ENS", "val WARM - ENS");
        md.separator(8);
        for (PaperResults.MScalingPoint p : c.mScaling()) {
            md.row(String.valueOf(p.m()), String.valueOf(p.subsets()), f3(p.ensValidation()), f3(p.warmValidation()),
                    f3(p.ensOod()), f3(p.warmOod()), pm(p.warmMinusEnsOod()), pm(p.warmMinusEnsValidation()));
        }
        md.line();
        md.line(String.format(Locale.ROOT, "Controls: member %d (the best single) with its task vector scaled by %.3f "
                + "to WARM's norm (does WARM only shrink?), and ENS of rewards standardised per member on the "
                + "selection pairs (is ENS only led by its largest-scale members?).", c.shrunkMember(),
                c.shrinkFactor()));
        md.line();
        md.row("model", "flipped-pair agreement", "clean train acc", "validation acc", "OOD acc", "OOD loss");
        md.separator(6);
        controlRow(md, "WARM", c.warm());
        controlRow(md, "best single shrunk to WARM's norm", c.shrunk());
        controlRow(md, "ENS", c.ens());
        controlRow(md, "ENS of standardised rewards", c.ensStandardised());
        md.line();
    }

    private static void controlRow(Markdown md, String name, SetMeasures m) {
        md.row(name, f3(m.flippedPairsWrong()), f3(m.cleanTrain()), f3(m.validation()), f3(m.ood()), f3(m.oodLoss()));
    }

    static void shiftedBestOfN(Markdown md, NoiseResult n) {
        if (n.shiftedBestOfN() == null) {
            return;
        }
        md.line("Best-of-N on candidates of the shifted policy for unseen topics (the OOD split's policy), same "
                + "proxies; ± SE over prompts, differences paired:");
        md.line();
        md.row("N", "random", "best single", "ENS", "WARM", "gold oracle", "WARM - best single", "WARM - ENS",
                "WARM wins vs best single");
        md.separator(9);
        for (BestOfNPoint p : n.shiftedBestOfN()) {
            md.row(String.valueOf(p.n()), f3(p.random()), f3(p.bestSingle()) + " ± " + f3(p.bestSingleStderr()),
                    f3(p.ens()) + " ± " + f3(p.ensStderr()), f3(p.warm()) + " ± " + f3(p.warmStderr()),
                    f3(p.oracle()), pm(p.warmMinusBestSingle()), pm(p.warmMinusEns()),
                    f3(p.warmWinRateVsBestSingle()));
        }
        md.line();
    }

    static void interpolationSets(Markdown md, Interpolation in) {
        if (in.oodAccuracy() == null) {
            return;
        }
        md.line("The same path on every set (paper's Figure 4): agreement with the flipped training labels "
                + "(memorisation at 25%; at 0% these pairs carry correct labels), with the clean training labels, "
                + "and accuracy vs gold on validation and OOD pairs.");
        md.line();
        md.row("lambda", "train flipped", "train clean", "validation", "OOD");
        md.separator(5);
        for (int i = 0; i < in.lambdas().size(); i++) {
            md.row(f2(in.lambdas().get(i)), f3(in.trainFlippedAgreement().get(i)),
                    f3(in.trainCleanAgreement().get(i)), f3(in.accuracy().get(i)), f3(in.oodAccuracy().get(i)));
        }
        md.line();
    }

    static void shift(Markdown md, NoiseResult n) {
        if (n.shift() == null || n.shift().isEmpty()) {
            return;
        }
        md.line("Shift sweep: topic shift (seen / unseen topics) and policy shift (0 = the training policy, 1 = the "
                + "OOD policy) separately; every set's gold margins matched to the seen-topic, unshifted set "
                + "(mean |gold margin| after matching, before in brackets). Accuracy vs gold; differences paired, "
                + "± SE over pairs.");
        md.line();
        md.row("topics", "policy shift", "pairs", "mean margin", "WARM", "ENS", "members' mean", "best single",
                "WARM - ENS", "WARM - members", "WARM - best single");
        md.separator(11);
        for (PaperResults.ShiftPoint p : n.shift()) {
            md.row(p.topics(), f2(p.policyShift()), String.valueOf(p.pairs()),
                    f3(p.meanAbsGoldMargin()) + " (" + f3(p.unmatchedMeanAbsGoldMargin()) + ")", f3(p.warm()),
                    f3(p.ens()), f3(p.meanMember()), f3(p.bestSingle()), pm(p.warmMinusEns()),
                    pm(p.warmMinusMembers()), pm(p.warmMinusBestSingle()));
        }
        md.line();
    }
}
