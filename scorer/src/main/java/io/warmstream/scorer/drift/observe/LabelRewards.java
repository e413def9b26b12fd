package io.warmstream.scorer.drift.observe;

import java.util.ArrayList;
import java.util.List;

/** Rewards of labels' chosen and rejected responses under one version ({@link LabelScoring}). */
record LabelRewards(float[] chosen, float[] rejected) {

    /** Labels ordered right: r(chosen) > r(rejected). */
    long correct() {
        long c = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] > rejected[i]) c++;
        }
        return c;
    }

    /** Labels both versions order the same way (a tie counts as its own order). */
    long sameOrder(LabelRewards other) {
        long same = 0;
        for (int i = 0; i < chosen.length; i++) {
            if (Integer.signum(Float.compare(chosen[i], rejected[i])) == Integer.signum(Float.compare(other.chosen[i], other.rejected[i]))) same++;
        }
        return same;
    }

    List<Double> all() {
        List<Double> out = new ArrayList<>(chosen.length * 2);
        for (float c : chosen) out.add((double) c);
        for (float r : rejected) out.add((double) r);
        return out;
    }
}
