package io.warmstream.scorer.drift.observe;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.scorer.serving.ModelLease;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Scores labels for the drift observations a chunk at a time, looking at {@link #stop()} between chunks. A scorer
 * that is closing must not exit while this thread is inside onnxruntime or libtorch (the process's exit tears the
 * native runtime down under it and the JVM crashes), and a native call cannot be interrupted: so the label thread
 * ends within one chunk instead of after a whole reference set.
 */
final class LabelScoring {

    /** Labels per native call (twice as many sequences): a few seconds of CPU at most on a busy machine. */
    static final int CHUNK = 32;

    private volatile boolean stopped;

    /** Rewards of the labels' chosen and rejected responses under the leased version. */
    LabelRewards rewards(ModelLease lease, List<PreferenceLabel> labels) {
        int n = labels.size();
        float[] chosen = new float[n];
        float[] rejected = new float[n];
        for (int from = 0; from < n; from += CHUNK) {
            if (stopped) {
                throw new CancellationException("drift scoring stopped: the scorer is closing");
            }
            List<PreferenceLabel> part = labels.subList(from, Math.min(n, from + CHUNK));
            List<String> prompts = new ArrayList<>(part.size() * 2);
            List<String> responses = new ArrayList<>(part.size() * 2);
            for (PreferenceLabel l : part) {
                prompts.add(l.getPrompt());
                responses.add(l.getChosen());
            }
            for (PreferenceLabel l : part) {
                prompts.add(l.getPrompt());
                responses.add(l.getRejected());
            }
            float[] r = lease.score(prompts, responses);
            System.arraycopy(r, 0, chosen, from, part.size());
            System.arraycopy(r, part.size(), rejected, from, part.size());
        }
        return new LabelRewards(chosen, rejected);
    }

    /** Asks scoring to stop before its next chunk (from the thread that closes the scorer). */
    void stop() {
        stopped = true;
    }
}
