package io.warmstream.merger.guard;

import io.warmstream.model.PreferencePair;

import java.util.ArrayList;
import java.util.List;

/**
 * One snapshot of the held-out sample: the pairs and their label ids, in the same order. The LMC guard and the
 * quality gate judge a checkpoint on one snapshot, so the candidate is scored once and compared pair by pair; the ids
 * let the gate remember the served version's result per label across snapshots.
 */
public record HeldOutPairs(List<String> ids, List<PreferencePair> pairs) {

    public HeldOutPairs {
        if (ids.size() != pairs.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + pairs.size() + " pairs");
        }
        ids = List.copyOf(ids);
        pairs = List.copyOf(pairs);
    }

    public int size() {
        return pairs.size();
    }

    /** The pairs at {@code indices}, in that order. */
    public List<PreferencePair> pairsAt(List<Integer> indices) {
        List<PreferencePair> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(pairs.get(i));
        }
        return out;
    }
}
