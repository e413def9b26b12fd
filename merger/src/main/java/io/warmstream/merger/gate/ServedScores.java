package io.warmstream.merger.gate;

import io.warmstream.merger.guard.HeldOutPairs;
import io.warmstream.merger.guard.PairRanker;

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
 * a failed commit) or a rollback to the same weights finds the same results.
 *
 * <p>Thread-safe: the merger's thread compares, a background thread scores labels as they arrive ({@link
 * QualityGate#prewarm}), so a checkpoint rarely has to load the served version at all.
 */
final class ServedScores {

    /** The served version, the candidate that may become served, and one spare. */
    private static final int MODELS = 3;

    /** A model's results on a snapshot: per pair, or null where not known; and what it took to get them now. */
    record Results(Boolean[] rankedRight, int scoredNow, long millis) {

        int known() {
            int n = 0;
            for (Boolean b : rankedRight) {
                if (b != null) {
                    n++;
                }
            }
            return n;
        }
    }

    private final Map<String, Map<String, Boolean>> bySha = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Boolean>> eldest) {
            return size() > MODELS;
        }
    };

    /** Remembers a model's results on {@code pairs} (e.g. a candidate that is about to be served). */
    synchronized void remember(String sha256, HeldOutPairs pairs, boolean[] rankedRight) {
        Map<String, Boolean> known = new HashMap<>();
        for (int i = 0; i < rankedRight.length; i++) {
            known.put(pairs.ids().get(i), rankedRight[i]);
        }
        bySha.put(sha256, known);
    }

    /** What is known of the model on {@code pairs} now, without scoring anything. */
    synchronized Results known(String sha256, HeldOutPairs pairs) {
        Map<String, Boolean> known = bySha.getOrDefault(sha256, Map.of());
        Boolean[] out = new Boolean[pairs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = known.get(pairs.ids().get(i));
        }
        return new Results(out, 0, 0);
    }

    /**
     * The model's result on each of {@code pairs}, scoring the labels not known yet. The scoring runs outside this
     * object's lock, so the other thread reads what is known meanwhile; both may score the same label, which costs
     * time, never correctness (a model ranks a pair the same way each time).
     */
    Results rankedRight(String sha256, HeldOutPairs pairs, Supplier<Path> dir, PairRanker scorer) {
        Boolean[] now = known(sha256, pairs).rankedRight();
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < now.length; i++) {
            if (now[i] == null) {
                missing.add(i);
            }
        }
        long start = System.nanoTime();
        if (!missing.isEmpty()) {
            boolean[] scored = scorer.rankedRight(dir.get(), pairs.pairsAt(missing));
            for (int j = 0; j < scored.length; j++) {
                now[missing.get(j)] = scored[j];
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        keep(sha256, pairs, now);
        return new Results(now, missing.size(), millis);
    }

    /** Stores {@code results} as the model's results, forgetting labels that left the sample. */
    private synchronized void keep(String sha256, HeldOutPairs pairs, Boolean[] results) {
        Map<String, Boolean> known = bySha.getOrDefault(sha256, Map.of());
        Set<String> inSample = new HashSet<>(pairs.ids());
        Map<String, Boolean> kept = new HashMap<>();
        known.forEach((id, right) -> {
            if (inSample.contains(id)) {
                kept.put(id, right);
            }
        });
        for (int i = 0; i < results.length; i++) {
            if (results[i] != null) {
                kept.put(pairs.ids().get(i), results[i]);
            }
        }
        bySha.put(sha256, kept);
    }
}
