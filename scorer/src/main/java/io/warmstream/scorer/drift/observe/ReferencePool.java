package io.warmstream.scorer.drift.observe;

import io.warmstream.events.PreferenceLabel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The newest held-out labels seen (the validation split no trainer trains on), whose rewards under a version make
 * that version's PSI reference, and the versions whose reference was already sent. Used by one thread.
 */
final class ReferencePool {

    private final int min;
    private final int max;
    private final Deque<PreferenceLabel> labels = new ArrayDeque<>();
    private final Set<Long> sent = new HashSet<>();

    ReferencePool(int min, int max) {
        this.min = min;
        this.max = max;
    }

    void add(PreferenceLabel label) {
        labels.addLast(label);
        while (labels.size() > max) {
            labels.removeFirst();
        }
    }

    int size() {
        return labels.size();
    }

    /** The labels to score for {@code version}'s reference, or empty if it has one or too few labels are here yet. */
    List<PreferenceLabel> due(long version) {
        return sent.contains(version) || labels.size() < min ? List.of() : new ArrayList<>(labels);
    }

    void sent(long version) {
        sent.add(version);
    }
}
