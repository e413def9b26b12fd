package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * When a job need not run: a newer job of the same average and base model holds every one of its labels and more.
 * Training it would add a member that saw a subset of what the newer one sees, and delay the newer one. A job with
 * the same labels is not newer data but another member (another seed, a deliberate rerun), so it supersedes
 * nothing; neither does a job on another base, whose member would be of another kind.
 *
 * <p>Why no label is dropped: "newer" is a strict total order (created later, the job id breaking ties) and
 * "covers" is containment of offset ranges, which is transitive. So among any jobs the newest is never superseded,
 * and every skipped job names a newer coverer, which is trained, or skipped naming a yet newer coverer of it (and so
 * of the first one), and so on to a job that runs (or ends FAILED, with its reason).
 */
public final class Supersession {

    /** Oldest first: created earlier, then the smaller job id. */
    public static final Comparator<TrainingJob> AGE = Comparator.comparing(TrainingJob::getCreatedAt)
            .thenComparing(TrainingJob::getJobId);

    private Supersession() {
    }

    /** The newest of {@code candidates} that supersedes {@code job}, if any. */
    public static Optional<TrainingJob> supersederOf(TrainingJob job, Collection<TrainingJob> candidates) {
        return candidates.stream().filter(c -> supersedes(c, job)).max(AGE);
    }

    /**
     * Whether {@code newer} is a newer job of the same average and base model whose ranges hold all of {@code job}'s
     * labels and more.
     */
    public static boolean supersedes(TrainingJob newer, TrainingJob job) {
        return newer.getAverage().equals(job.getAverage()) && newer.getBaseModel().equals(job.getBaseModel())
                && AGE.compare(newer, job) > 0 && covers(newer, job) && !covers(job, newer);
    }

    /**
     * Whether every label of {@code job} is in {@code other}: each of its non-empty ranges lies within one range of
     * {@code other} on the same topic and partition.
     */
    public static boolean covers(TrainingJob other, TrainingJob job) {
        for (OffsetRange r : job.getRanges()) {
            if (r.getEndOffset() > r.getStartOffset() && other.getRanges().stream().noneMatch(o -> contains(o, r))) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(OffsetRange outer, OffsetRange inner) {
        return outer.getTopic().equals(inner.getTopic()) && outer.getPartition() == inner.getPartition()
                && outer.getStartOffset() <= inner.getStartOffset() && inner.getEndOffset() <= outer.getEndOffset();
    }
}
