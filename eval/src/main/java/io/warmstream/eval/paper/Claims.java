package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults;

import io.warmstream.eval.report.PaperResults.BestOfNPoint;
import io.warmstream.eval.report.PaperResults.ByM;
import io.warmstream.eval.report.PaperResults.Claim;
import io.warmstream.eval.report.PaperResults.NoiseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The paper's claims, checked against what one run measured. A claim "holds" on point estimates only. */
final class Claims {

    private Claims() {
    }

    static List<Claim> check(List<NoiseResult> noise) {
        List<Claim> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean holds = true;
        for (NoiseResult r : noise) {
            ByM last = last(r);
            holds &= last.warm().ood() >= last.ens().ood();
            text.append(String.format(Locale.ROOT, "%s: WARM %.3f vs ENS %.3f (diff %+.3f +- %.3f); ", level(r),
                    last.warm().ood(), last.ens().ood(), last.warmMinusEnsOod()[0], last.warmMinusEnsOod()[1]));
        }
        out.add(new Claim("WARM >= ENS out of distribution (OOD accuracy vs gold, M = max)", trim(text), holds));

        text = new StringBuilder();
        holds = true;
        boolean any = false;
        for (NoiseResult r : noise) {
            if (r.flippedTrainPairs() == 0) {
                continue;
            }
            any = true;
            ByM last = last(r);
            holds &= last.warm().memorisation() < last.ens().memorisation();
            text.append(String.format(Locale.ROOT, "%s: agreement with flipped labels WARM %.3f vs ENS %.3f "
                            + "(members' mean %.3f, LP head only %.3f); ", level(r), last.warm().memorisation(),
                    last.ens().memorisation(), last.meanMember().memorisation(), r.lpOnly().memorisation()));
        }
        if (any) {
            out.add(new Claim("WARM memorises flipped labels less than ENS", trim(text), holds));
        }

        if (noise.size() >= 2) {
            NoiseResult low = noise.get(0);
            NoiseResult high = noise.get(noise.size() - 1);
            double gainLow = gain(low);
            double gainHigh = gain(high);
            out.add(new Claim("Best-of-N gain of WARM over the best single RM grows with label noise",
                    String.format(Locale.ROOT, "WARM minus best single, mean gold over N >= 2: %s %+.4f, %s %+.4f; "
                                    + "at N = %d: %+.4f and %+.4f", level(low), gainLow, level(high), gainHigh,
                            lastPoint(low).n(), lastPoint(low).warm() - lastPoint(low).bestSingle(),
                            lastPoint(high).warm() - lastPoint(high).bestSingle()),
                    gainHigh > gainLow && gainHigh > 0));
        }

        text = new StringBuilder();
        holds = true;
        for (NoiseResult r : noise) {
            double warm = mean(r, BestOfNPoint::warm);
            double ens = mean(r, BestOfNPoint::ens);
            double single = mean(r, BestOfNPoint::bestSingle);
            holds &= warm >= ens && warm >= single;
            text.append(String.format(Locale.ROOT, "%s: WARM %.4f, ENS %.4f, best single %.4f; WARM's picks win "
                    + "%.3f of draws vs the best single's, %.3f vs ENS's; ", level(r), warm, ens, single,
                    mean(r, BestOfNPoint::warmWinRateVsBestSingle), mean(r, BestOfNPoint::warmWinRateVsEns)));
        }
        out.add(new Claim("Best-of-N with WARM is at least as good as with ENS and the best single RM (mean gold "
                + "and mean win rate over N >= 2)", trim(text), holds));

        text = new StringBuilder();
        holds = true;
        for (NoiseResult r : noise) {
            ByM last = last(r);
            holds &= last.warm().validation() >= last.meanMember().validation();
            text.append(String.format(Locale.ROOT, "%s: WARM %.3f vs members' mean %.3f (best member %.3f); ",
                    level(r), last.warm().validation(), last.meanMember().validation(),
                    r.members().stream().mapToDouble(x -> x.measures().validation()).max().orElse(Double.NaN)));
        }
        out.add(new Claim("The weight average is at least as accurate as its members on average (validation, "
                + "linear mode connectivity)", trim(text), holds));
        return out;
    }

    private static double mean(NoiseResult r, java.util.function.ToDoubleFunction<BestOfNPoint> f) {
        return r.bestOfN().stream().filter(p -> p.n() >= 2).mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Mean over N >= 2 of WARM's best-of-N gold minus the best single RM's. */
    static double gain(NoiseResult r) {
        return r.bestOfN().stream().filter(p -> p.n() >= 2).mapToDouble(p -> p.warm() - p.bestSingle()).average()
                .orElse(Double.NaN);
    }

    static String level(NoiseResult r) {
        return String.format(Locale.ROOT, "%.0f%% flipped", r.flipFraction() * 100);
    }

    private static ByM last(NoiseResult r) {
        return r.byM().get(r.byM().size() - 1);
    }

    private static BestOfNPoint lastPoint(NoiseResult r) {
        return r.bestOfN().get(r.bestOfN().size() - 1);
    }

    private static String trim(StringBuilder b) {
        String s = b.toString();
        return s.endsWith("; ") ? s.substring(0, s.length() - 2) : s;
    }
}
