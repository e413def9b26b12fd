package io.warmstream.eval.paper;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.WorldConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The data of one paper check, drawn from the preference world.
 *
 * <p>Every noise level trains on the same pairs: the world decides flips by a per-index coin, so the 25% set is the
 * 0% set with a quarter of its labels reversed (and the flips of a lower fraction are a subset of a higher one's).
 * The checked training subset is the same indices at every level: every pair flipped at the highest level, plus
 * as many never-flipped ones. At 0% the flipped indices carry their correct labels, which gives the control for
 * memorisation: how often a model trained on correct labels would "agree" with the flip anyway.
 *
 * @param training   per flip fraction: every training pair, as trained on
 * @param checked    per flip fraction: the checked subset of the training pairs
 * @param flipSubset indices (into {@code checked}) of the pairs flipped at the highest noise level
 * @param selection  in-distribution labelled pairs after the validation pairs (same split, later indices): the
 *                   best single member is chosen on these, never on the pairs it is scored on
 * @param shifts     the shift sweep: seen and unseen topics at each policy shift, gold margins matched
 * @param shiftedPool best-of-N candidates for unseen topics from the shifted policy (the OOD split); null if none
 */
public record EvalData(Map<Double, PairSet> training, Map<Double, PairSet> checked, boolean[] flipSubset,
                       PairSet validation, PairSet ood, PairSet selection, CandidatePool pool,
                       List<ShiftSets.ShiftSet> shifts, CandidatePool shiftedPool) {

    private static final int MIN_CLEAN_CHECKED = 64;

    /** The first {@code n} validation pairs (all of them if fewer): what the interpolation curve is measured on. */
    public PairSet interpolationSet(int n) {
        int k = Math.min(n, validation.size());
        return new PairSet("interpolation", validation.prompts().subList(0, k), validation.chosen().subList(0, k),
                validation.rejected().subList(0, k), java.util.Arrays.copyOf(validation.flipped(), k),
                java.util.Arrays.copyOf(validation.goldMargin(), k));
    }

    /** The first {@code n} OOD pairs (all of them if fewer): the interpolation curve's out-of-distribution set. */
    public PairSet oodInterpolationSet(int n) {
        int k = Math.min(n, ood.size());
        return new PairSet("ood-interpolation", ood.prompts().subList(0, k), ood.chosen().subList(0, k),
                ood.rejected().subList(0, k), java.util.Arrays.copyOf(ood.flipped(), k),
                java.util.Arrays.copyOf(ood.goldMargin(), k));
    }

    public static EvalData build(EvalSettings s) {
        WorldConfig base = WorldConfig.defaults().withSeed(s.seed()).withTemperature(s.labellerTemperature());
        double highest = s.flipFractions().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        List<LabelledPair> noisiest = PreferenceWorld.create(base.withFlipFraction(highest))
                .labels(Split.TRAIN, s.trainPairs()).toList();
        TreeSet<Integer> flippedIdx = new TreeSet<>();
        List<Integer> cleanIdx = new ArrayList<>();
        for (int i = 0; i < noisiest.size(); i++) {
            if (Boolean.parseBoolean(noisiest.get(i).metadata().get(LabelledPair.FLIPPED))) {
                flippedIdx.add(i);
            } else {
                cleanIdx.add(i);
            }
        }
        int cleanWanted = Math.min(cleanIdx.size(), Math.max(flippedIdx.size(), MIN_CLEAN_CHECKED));
        TreeSet<Integer> checkedIdx = new TreeSet<>(flippedIdx);
        checkedIdx.addAll(cleanIdx.subList(0, cleanWanted));
        boolean[] flipSubset = new boolean[checkedIdx.size()];
        int j = 0;
        for (int i : checkedIdx) {
            flipSubset[j++] = flippedIdx.contains(i);
        }

        Map<Double, PairSet> training = new LinkedHashMap<>();
        Map<Double, PairSet> checked = new LinkedHashMap<>();
        for (double f : s.flipFractions()) {
            List<LabelledPair> labels = f == highest ? noisiest
                    : PreferenceWorld.create(base.withFlipFraction(f)).labels(Split.TRAIN, s.trainPairs()).toList();
            training.put(f, PairSet.of("train", labels));
            checked.put(f, PairSet.of("train-checked", checkedIdx.stream().map(labels::get).toList()));
        }
        PreferenceWorld clean = PreferenceWorld.create(base);
        PairSet validation = PairSet.of("validation", clean.labels(Split.VALIDATION_ID, s.validationPairs()).toList());
        PairSet ood = PairSet.of("ood", clean.labels(Split.OOD, s.oodPairs()).toList());
        PairSet selection = PairSet.of("selection",
                clean.labels(Split.VALIDATION_ID, s.validationPairs(), s.selectionPairs()).toList());
        CandidatePool pool = CandidatePool.draw(clean, Split.parse(s.bestOfNSplit()), s.bestOfNTasks(), s.maxN(),
                s.seed());
        return new EvalData(training, checked, flipSubset, validation, ood, selection, pool,
                ShiftSets.build(clean, s.shiftLevels(), s.shiftPairs()),
                s.shiftedBestOfNTasks() == 0 ? null
                        : CandidatePool.draw(clean, Split.OOD, s.shiftedBestOfNTasks(), s.maxN(), s.seed()));
    }
}
