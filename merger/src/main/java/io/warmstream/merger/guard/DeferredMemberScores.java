package io.warmstream.merger.guard;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * New members whose held-out scoring the LMC guard left for after their version was published, and their results
 * once the merger's background thread has scored them. The next checkpoint's guard takes a member's accuracy from
 * here instead of loading it on the checkpoint's path. Bounded: at most {@link #KEEP} members wait and as many
 * results are kept (a member not taken by then is scored by the guard itself when it needs it). Thread-safe.
 */
final class DeferredMemberScores {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredMemberScores.class);
    /** Members waiting, and results kept; checkpoints arrive one at a time, so a few suffice. */
    static final int KEEP = 16;

    private final Map<String, Path> waiting = new LinkedHashMap<>();
    /** Members whose background scoring failed: not tried again in the background (the guard's own path still is). */
    private final Set<String> failed = Collections.newSetFromMap(recent());
    private final Map<String, Double> scored = recent();

    /** The {@link #KEEP} most recently used entries. */
    private static <V> Map<String, V> recent() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > KEEP;
            }
        };
    }

    /** Whether the background would still score the member with weights {@code sha256}: not scored, not failed. */
    synchronized boolean wants(String sha256) {
        return !scored.containsKey(sha256) && !failed.contains(sha256);
    }

    /** Leaves the member with weights {@code sha256} at {@code dir} to the background. */
    synchronized void defer(String sha256, Path dir) {
        if (wants(sha256)) {
            waiting.put(sha256, dir);
            Iterator<String> oldest = waiting.keySet().iterator();
            while (waiting.size() > KEEP) {
                oldest.next();
                oldest.remove();
            }
        }
    }

    /** The member's held-out accuracy if the background scored it; null otherwise. */
    synchronized Double accuracy(String sha256) {
        return scored.get(sha256);
    }

    /** Scores every waiting member on {@code pairs}, one at a time outside the lock; returns how many it scored. */
    int scoreWaiting(HeldOutPairs pairs, PairRanker scorer) {
        int done = 0;
        while (true) {
            Map.Entry<String, Path> next;
            synchronized (this) {
                Iterator<Map.Entry<String, Path>> it = waiting.entrySet().iterator();
                if (!it.hasNext()) {
                    return done;
                }
                Map.Entry<String, Path> first = it.next();
                next = Map.entry(first.getKey(), first.getValue());
                it.remove();
            }
            try {
                double accuracy = PairRanker.accuracy(scorer.rankedRight(next.getValue(), pairs.pairs()));
                synchronized (this) {
                    scored.put(next.getKey(), accuracy);
                }
                done++;
            } catch (RuntimeException e) {
                synchronized (this) {
                    failed.add(next.getKey());
                }
                // Not a verdict on the member: the guard scores it itself at the next checkpoint.
                LOG.warn("background held-out scoring of the member at {} failed ({}); the next checkpoint's guard "
                        + "scores it", next.getValue(), e.toString());
            }
        }
    }
}
