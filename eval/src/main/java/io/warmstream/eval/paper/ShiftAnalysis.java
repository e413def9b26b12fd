package io.warmstream.eval.paper;

import io.warmstream.eval.report.PaperResults;
import java.util.ArrayList;
import java.util.List;

/** The shift sweep's numbers from one noise level's scores on the shift sets ({@link ShiftSets}). Pure. */
final class ShiftAnalysis {

    private ShiftAnalysis() {
    }

    /** The shift sweep's accuracies and paired differences (SE over the set's pairs). */
    static List<PaperResults.ShiftPoint> shift(EvalData data, NoiseExperiment.Raw raw, int best, long seed) {
        List<PaperResults.ShiftPoint> out = new ArrayList<>();
        for (int k = 0; k < data.shifts().size(); k++) {
            ShiftSets.ShiftSet set = data.shifts().get(k);
            double[] warm = PerItem.goldCorrect(raw.shiftWarm().get(k), set.pairs());
            double[] ens = PerItem.goldCorrect(shiftEns(raw, k), set.pairs());
            List<double[]> members = new ArrayList<>();
            for (List<PairScores> m : raw.shiftMembers()) {
                members.add(PerItem.goldCorrect(m.get(k), set.pairs()));
            }
            double[] mean = PerItem.mean(members);
            double[] single = members.get(best);
            out.add(new PaperResults.ShiftPoint(set.topics(), set.policyShift(), set.pairs().size(),
                    set.meanAbsGoldMargin(), set.unmatchedMeanAbsGoldMargin(), PerItem.average(warm),
                    PerItem.average(ens), PerItem.average(mean), PerItem.average(single),
                    PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(warm, ens)), seed + 3L * k),
                    PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(warm, mean)), seed + 3L * k + 1),
                    PairedBootstrap.estimate(PairedBootstrap.single(PerItem.minus(warm, single)), seed + 3L * k + 2)));
        }
        return out;
    }

    /** ENS of all members on shift set k. */
    static PairScores shiftEns(NoiseExperiment.Raw raw, int k) {
        return PairScores.mean(raw.shiftMembers().stream().map(m -> m.get(k)).toList());
    }
}
