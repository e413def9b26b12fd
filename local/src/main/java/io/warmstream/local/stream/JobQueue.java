package io.warmstream.local.stream;

import io.warmstream.events.TrainingRunEvent;

import java.util.HashSet;
import java.util.Set;

/**
 * The trainers' backlog as the topics show it: jobs planned on {@code warm.training-jobs}, started and ended
 * (FINISHED, FAILED, SKIPPED) on {@code warm.training-runs}; the peaks of queued (planned, not started) and pending
 * (planned, not ended) jobs.
 */
final class JobQueue {

    private final Set<String> queued = new HashSet<>();
    private final Set<String> pending = new HashSet<>();
    private final Set<String> ended = new HashSet<>();
    private int maxQueued;
    private int maxPending;

    void planned(String jobId) {
        if (jobId == null || ended.contains(jobId)) {
            return;
        }
        queued.add(jobId);
        pending.add(jobId);
        peaks();
    }

    void run(TrainingRunEvent e) {
        String id = e.getJobId();
        switch (e.getType()) {
            case "STARTED", "PROGRESS" -> queued.remove(id);
            case "FINISHED", "FAILED", "SKIPPED" -> {
                queued.remove(id);
                pending.remove(id);
                ended.add(id);
            }
            default -> {
            }
        }
    }

    private void peaks() {
        maxQueued = Math.max(maxQueued, queued.size());
        maxPending = Math.max(maxPending, pending.size());
    }

    int maxQueued() {
        return maxQueued;
    }

    int maxPending() {
        return maxPending;
    }
}
