package io.warmstream.merger.guard;

import io.warmstream.model.PreferencePair;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest held-out labels, at most {@code capacity}, keyed by label id (a label seen twice counts once). The LMC
 * guard and the quality gate score candidates on a snapshot. Thread-safe: a follower thread adds, the merger thread reads.
 */
public final class HoldoutSample {

    private final int capacity;
    private final int maxTextChars;
    private final Map<String, PreferencePair> pairs;

    public HoldoutSample(int capacity, int maxTextChars) {
        if (capacity < 1) {
            throw new IllegalArgumentException("held-out sample capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.maxTextChars = maxTextChars;
        this.pairs = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreferencePair> eldest) {
                return size() > HoldoutSample.this.capacity;
            }
        };
    }

    /** Adds (or refreshes) a label; texts are cut to {@code maxTextChars} to bound the cost of scoring. */
    public synchronized void add(String id, String prompt, String chosen, String rejected) {
        pairs.remove(id);
        pairs.put(id, new PreferencePair(cut(prompt), cut(chosen), cut(rejected)));
    }

    public synchronized int size() {
        return pairs.size();
    }

    /** The labels now in the sample, oldest first. */
    public synchronized HeldOutPairs snapshot() {
        return new HeldOutPairs(new ArrayList<>(pairs.keySet()), new ArrayList<>(pairs.values()));
    }

    private String cut(String s) {
        return s.length() <= maxTextChars ? s : s.substring(0, maxTextChars);
    }
}
