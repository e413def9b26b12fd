package io.warmstream.local.chaos;

import io.warmstream.platform.KafkaSettings;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * After the last fault and with the label feed stopped: waits until every accepted label is on warm.preferences,
 * every job has ended, every checkpoint has been folded or rejected, and nothing new has appeared on the topics for
 * {@link #QUIET} (longer than the tiny profile's 20 s planner interval, so the planner's last job for the final
 * labels is not missed); or until the timeout, after which the invariants report what had not settled.
 */
final class Quiescence {

    interface Progress {
        void line(String format, Object... args);
    }

    static final long QUIET = 30_000;

    private Quiescence() {
    }

    static void await(KafkaSettings kafka, LabelDriver labels, LiveEvents live, Duration timeout, Progress progress) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        String previous = "";
        long changedAt = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            FaultInjector.sleep(5_000);
            TopicHistory h;
            try {
                h = TopicHistory.read(kafka);
            } catch (RuntimeException e) {
                continue;
            }
            long labelsMissing = labels.accepted().keySet().stream().filter(id -> !live.labelSeen(id)).count();
            long jobsOpen = new HashSet<>(h.jobIds).stream().filter(j -> !h.jobEndings.containsKey(j)).count();
            Set<String> settled = new HashSet<>();
            h.versions.forEach(v -> settled.addAll(v.members()));
            h.rejections.forEach(r -> settled.add(r.jobId()));
            long checkpointsOpen = h.checkpointJobIds.stream().filter(j -> !settled.contains(j)).count();
            String state = h.jobIds.size() + "/" + h.checkpointJobIds.size() + "/" + h.versions.size();
            if (!state.equals(previous)) {
                changedAt = System.currentTimeMillis();
            }
            if (labelsMissing == 0 && jobsOpen == 0 && checkpointsOpen == 0
                    && System.currentTimeMillis() - changedAt >= QUIET) {
                progress.line("settled: %d jobs, %d checkpoints, %d versions", h.jobIds.size(),
                        h.checkpointJobIds.size(), h.versions.size());
                return;
            }
            previous = state;
            progress.line("settling: %d labels not yet validated, %d jobs open, %d checkpoints not yet folded",
                    labelsMissing, jobsOpen, checkpointsOpen);
        }
        progress.line("not settled within %d s; the invariants say what is open", timeout.toSeconds());
    }
}
