package io.warmstream.eval.paper;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Held-out pairs along two separate axes of distribution shift: the topics (seen in training or never seen) and the
 * candidate policy's shift (0 = the training policy, 1 = the full OOD policy), each at several strengths. Every set
 * has the same number of pairs and the same distribution of gold margins as the reference (seen topics, shift 0):
 * pairs are drawn in excess and matched to the reference's margins one by one, so accuracy differences between sets
 * come from the shift, not from easier or harder pairs.
 */
final class ShiftSets {

    /** Candidate pairs drawn per pair kept, to match the reference's margins. */
    static final int OVERDRAW = 3;

    /** Pair indices of the shift sets start here, clear of the validation, selection and OOD pairs. */
    static final long FIRST_INDEX = 2_000_000L;

    /** One set: its topics ("seen" or "unseen"), the policy shift, the pairs and their mean |gold margin|. */
    record ShiftSet(String topics, double policyShift, PairSet pairs, double meanAbsGoldMargin,
                    double unmatchedMeanAbsGoldMargin) {
        String name() {
            return String.format(java.util.Locale.ROOT, "%s topics, policy shift %.2f", topics, policyShift);
        }
    }

    private ShiftSets() {
    }

    static List<ShiftSet> build(PreferenceWorld world, List<Double> shifts, int pairs) {
        if (pairs <= 0 || shifts.isEmpty()) {
            return List.of();
        }
        List<LabelledPair> reference = draw(world, Split.VALIDATION_ID, 0.0, pairs);
        double[] target = absMargins(reference);
        List<ShiftSet> out = new ArrayList<>();
        for (String topics : List.of("seen", "unseen")) {
            Split split = topics.equals("seen") ? Split.VALIDATION_ID : Split.OOD;
            for (double shift : shifts) {
                List<LabelledPair> pool = draw(world, split, shift, OVERDRAW * pairs);
                List<LabelledPair> matched = match(pool, target);
                out.add(new ShiftSet(topics, shift, PairSet.of(topics + "-shift-" + shift, matched),
                        mean(absMargins(matched)), mean(absMargins(pool))));
            }
        }
        return out;
    }

    private static List<LabelledPair> draw(PreferenceWorld world, Split split, double shift, int n) {
        List<LabelledPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(world.label(split, FIRST_INDEX + i, shift));
        }
        return out;
    }

    /**
     * For each target margin (ascending), the unused pair whose |gold margin| is nearest; returned in the order of
     * the pool (a stable order for the paired comparisons). Greedy nearest matching on sorted values.
     */
    static List<LabelledPair> match(List<LabelledPair> pool, double[] target) {
        double[] margins = absMargins(pool);
        Integer[] order = new Integer[pool.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(margins[a], margins[b]));
        double[] sortedTarget = target.clone();
        Arrays.sort(sortedTarget);
        boolean[] used = new boolean[pool.size()];
        int cursor = 0;
        for (double t : sortedTarget) {
            while (cursor + 1 < order.length && margins[order[cursor + 1]] <= t) {
                cursor++;
            }
            int best = -1;
            double bestGap = Double.POSITIVE_INFINITY;
            // Search outward from the cursor for the nearest unused pair.
            for (int lo = cursor, hi = cursor + 1; lo >= 0 || hi < order.length; lo--, hi++) {
                if (lo >= 0 && !used[order[lo]] && Math.abs(margins[order[lo]] - t) < bestGap) {
                    best = order[lo];
                    bestGap = Math.abs(margins[order[lo]] - t);
                }
                if (hi < order.length && !used[order[hi]] && Math.abs(margins[order[hi]] - t) < bestGap) {
                    best = order[hi];
                    bestGap = Math.abs(margins[order[hi]] - t);
                }
                boolean loFar = lo < 0 || margins[order[lo]] < t - bestGap;
                boolean hiFar = hi >= order.length || margins[order[hi]] > t + bestGap;
                if (best >= 0 && loFar && hiFar) {
                    break;
                }
            }
            used[best] = true;
        }
        List<LabelledPair> out = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            if (used[i]) {
                out.add(pool.get(i));
            }
        }
        return out;
    }

    static double[] absMargins(List<LabelledPair> pairs) {
        return pairs.stream().mapToDouble(l -> Math.abs(Double.parseDouble(l.metadata().get(LabelledPair.GOLD_MARGIN))))
                .toArray();
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
