package io.warmstream.scorer.drift.observe;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.scorer.serving.ModelLease;

import java.util.ArrayList;
import java.util.List;

/** Rewards of labels' chosen and rejected responses under one version, scored in one call. */
record LabelRewards(float[] chosen, float[] rejected) {

    static LabelRewards of(ModelLease lease, List<PreferenceLabel> labels) {
        List<String> prompts = new ArrayList<>(labels.size() * 2);
        List<String> responses = new ArrayList<>(labels.size() * 2);
        for (PreferenceLabel l : labels) {
            prompts.add(l.getPrompt());
            responses.add(l.getChosen());
        }
        for (PreferenceLabel l : labels) {
            prompts.add(l.getPrompt());
            responses.add(l.getRejected());
        }
        float[] r = lease.score(prompts, responses);
        int n = labels.size();
        return new LabelRewards(java.util.Arrays.copyOfRange(r, 0, n), java.util.Arrays.copyOfRange(r, n, 2 * n));
    }

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
