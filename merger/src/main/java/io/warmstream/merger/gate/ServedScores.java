package io.warmstream.merger.gate;

import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.ModelScorer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Per-label results of the versions the gate compares candidates with, by weights hash: the served version is scored
 * once per held-out label, not once per checkpoint. A candidate that gets served was scored already, so its results
 * are remembered too and the next comparison scores only labels that arrived since. Labels that left the sample are
 * forgotten, so memory stays bounded by the sample. Keyed by hash rather than version number: a redone version (after
 * a failed commit) or a rollback to the same weights finds the same results. Used on the merger's thread only.
 */
final class ServedScores {

    /** The served version, the candidate that may become served, and one spare. */
    private static final int MODELS = 3;

    private final Map<String, Map<String, Boolean>> bySha = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Boolean>> eldest) {
            return size() > MODELS;
        }
    };
    private int lastScored;
    private long lastNanos;

    /** Remembers a model's results on {@code pairs} (e.g. a candidate that is about to be served). */
    void remember(String sha256, HeldOutPairs pairs, boolean[] rankedRight) {
        Map<String, Boolean> known = new HashMap<>();
        for (int i = 0; i < rankedRight.length; i++) {
            known.put(pairs.ids().get(i), rankedRight[i]);
        }
        bySha.put(sha256, known);
    }

    /** The model's result on each of {@code pairs}, scoring only the labels not known yet. */
    boolean[] rankedRight(String sha256, HeldOutPairs pairs, Supplier<Path> dir, ModelScorer scorer) {
        Map<String, Boolean> known = bySha.getOrDefault(sha256, Map.of());
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            if (!known.containsKey(pairs.ids().get(i))) {
                missing.add(i);
            }
        }
        Map<String, Boolean> now = new HashMap<>();
        long start = System.nanoTime();
        if (!missing.isEmpty()) {
            boolean[] scored = scorer.rankedRight(dir.get(), pairs.pairsAt(missing));
            for (int j = 0; j < scored.length; j++) {
                now.put(pairs.ids().get(missing.get(j)), scored[j]);
            }
        }
        lastScored = missing.size();
        lastNanos = System.nanoTime() - start;
        Set<String> inSample = new HashSet<>(pairs.ids());
        known.forEach((id, right) -> {
            if (inSample.contains(id)) {
                now.put(id, right);
            }
        });
        bySha.put(sha256, now);
        boolean[] out = new boolean[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = now.get(pairs.ids().get(i));
        }
        return out;
    }

    /** How many labels the last {@link #rankedRight} call had to score. */
    int lastScored() {
        return lastScored;
    }

    /** How long that took, loading the model included. */
    long lastMillis() {
        return lastNanos / 1_000_000;
    }
}
