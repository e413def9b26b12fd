package io.warmstream.merger.store;

import io.warmstream.merger.state.KeptEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which published versions stay in the store. The rule:
 * <ol>
 *   <li>the current (newest) version of every generation is always kept, and so is the served one when the quality
 *       gate withholds newer ones: the next fold of a generation reads the first, scorers load the second (so each
 *       past generation keeps one directory, for members of it that arrive late);</li>
 *   <li>so are the newest {@code keepVersions} versions (the rollback targets);</li>
 *   <li>a version that stops being current and served stays for at least {@code grace} after that, whatever its
 *       rank, so a scorer or RL service that read the previous {@code WarmModelPublished} has that long to finish
 *       loading it;</li>
 *   <li>every other version leaves the kept list, and its directory is deleted unless a kept version still uses it
 *       (a rollback version shares the directory of the version it republishes, so a rollback target lives as long
 *       as any rollback to it is kept).</li>
 * </ol>
 * Members' directories (the trainers' checkpoints) are never deleted by the merger.
 */
public final class VersionRetention {

    private final int keepVersions;
    private final Duration grace;

    public VersionRetention(int keepVersions, Duration grace) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("warm.merger.retention.keep-versions must be >= 1, got " + keepVersions);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("warm.merger.retention.grace must not be negative, got " + grace);
        }
        this.keepVersions = keepVersions;
        this.grace = grace;
    }

    public int keepVersions() {
        return keepVersions;
    }

    public Duration grace() {
        return grace;
    }

    /**
     * The kept list once {@code newest} is published with {@code servedVersion} to serve: it goes first; the previous
     * current one of its generation is superseded now unless it stays served (a withheld {@code newest} leaves it
     * serving). The current version of another generation is not: that generation's next member folds into it.
     */
    public static List<KeptEntry> withNewest(List<KeptEntry> kept, KeptEntry newest, long servedVersion) {
        Map<Integer, Long> currentOf = new HashMap<>();
        for (KeptEntry k : kept) {
            currentOf.merge(k.generation(), k.version(), Math::max);
        }
        List<KeptEntry> out = new ArrayList<>(kept.size() + 1);
        out.add(newest);
        for (KeptEntry k : kept) {
            boolean current = k.generation() != newest.generation() && currentOf.get(k.generation()) == k.version();
            out.add(k.supersededAt() == null && k.version() != servedVersion && !current
                    ? k.supersededAt(newest.publishedAt()) : k);
        }
        return out;
    }

    /** What to keep and which directories to delete, at time {@code now}; {@code kept} is newest first. */
    public Sweep sweep(List<KeptEntry> kept, Instant now) {
        List<KeptEntry> sorted = new ArrayList<>(kept);
        sorted.sort((a, b) -> Long.compare(b.version(), a.version()));
        List<KeptEntry> retained = new ArrayList<>();
        List<KeptEntry> dropped = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            KeptEntry k = sorted.get(i);
            boolean inGrace = k.supersededAt() == null || Duration.between(k.supersededAt(), now).compareTo(grace) < 0;
            if (i < keepVersions || inGrace) {
                retained.add(k);
            } else {
                dropped.add(k);
            }
        }
        Set<String> used = new HashSet<>();
        retained.forEach(k -> used.add(k.uri()));
        Set<String> delete = new LinkedHashSet<>();
        for (KeptEntry k : dropped) {
            if (!used.contains(k.uri())) {
                delete.add(k.uri());
            }
        }
        return new Sweep(List.copyOf(retained), List.copyOf(delete));
    }

    /** @param deleteUris directories no kept version uses any more */
    public record Sweep(List<KeptEntry> retained, List<String> deleteUris) {
        public boolean changes(List<KeptEntry> before) {
            return retained.size() != before.size() || !deleteUris.isEmpty();
        }
    }
}
