package io.warmstream.eval.paper;

import io.warmstream.eval.world.LabelledPair;
import java.util.ArrayList;
import java.util.List;

/**
 * Labelled pairs to score, in the orientation of their labels ({@code chosen} first), with what the world knows
 * about each: whether the label was deliberately flipped, and the gold margin (gold(chosen) - gold(rejected)).
 * Held-out labels carry the labeller's own noise, so held-out accuracy is measured against the gold margin's sign.
 */
public record PairSet(String name, List<String> prompts, List<String> chosen, List<String> rejected, boolean[] flipped,
                      double[] goldMargin) {

    public PairSet {
        int n = prompts.size();
        if (chosen.size() != n || rejected.size() != n || flipped.length != n || goldMargin.length != n) {
            throw new IllegalArgumentException("pair set " + name + ": columns of different lengths");
        }
        prompts = List.copyOf(prompts);
        chosen = List.copyOf(chosen);
        rejected = List.copyOf(rejected);
    }

    public static PairSet of(String name, List<LabelledPair> labels) {
        List<String> prompts = new ArrayList<>();
        List<String> chosen = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        boolean[] flipped = new boolean[labels.size()];
        double[] margin = new double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            LabelledPair l = labels.get(i);
            prompts.add(l.prompt());
            chosen.add(l.chosen());
            rejected.add(l.rejected());
            flipped[i] = Boolean.parseBoolean(l.metadata().get(LabelledPair.FLIPPED));
            margin[i] = Double.parseDouble(l.metadata().getOrDefault(LabelledPair.GOLD_MARGIN, "NaN"));
        }
        return new PairSet(name, prompts, chosen, rejected, flipped, margin);
    }

    public int size() {
        return prompts.size();
    }

    public int flippedCount() {
        int n = 0;
        for (boolean f : flipped) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** Training pairs for the trainer, in label orientation (flipped ones included: that is the experiment). */
    public List<io.warmstream.model.PreferencePair> asPreferencePairs() {
        List<io.warmstream.model.PreferencePair> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(new io.warmstream.model.PreferencePair(prompts.get(i), chosen.get(i), rejected.get(i)));
        }
        return out;
    }
}
