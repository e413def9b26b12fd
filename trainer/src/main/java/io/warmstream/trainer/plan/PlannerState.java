package io.warmstream.trainer.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the planner remembers about one average, kept in a changelogged store: how far it has seen each partition
 * of the label topic, the labels that arrived since the last trigger, the offset segments of the newest triggers
 * (for {@link DataSelection#NEWEST_WINDOW}), the labels the shared head is fitted from, and the trainer capacity
 * the jobs are planned against ({@link CapacityLedger}).
 *
 * <p>Offsets are counted by record, never by arithmetic: the label topic is written transactionally, so commit
 * markers and aborted records take offsets that are not labels.
 *
 * <p>Deferred triggers (planner at capacity, NEWEST_WINDOW) close their segments unplanned ({@link #owed()}); what
 * slides out of the window in no job is handed to the next job's record ({@link #takeLeftOut()}), see
 * {@link TriggerSegments}. Every label is thus in a job or in a job's left-out record.
 */
public final class PlannerState {

    /** Per partition: first offset seen, start of the not-yet-planned labels (-1: none) and end (last seen + 1). */
    static final class Cursor {
        long first;
        long pendingStart = -1;
        long end;
    }

    /** One trigger's new labels. */
    public record Segment(long count, List<OffsetSpan> spans) {
        public Segment {
            spans = List.copyOf(spans);
        }
    }

    /** What one job trains on. */
    public record Selection(long count, List<OffsetSpan> spans) {
        public Selection {
            spans = List.copyOf(spans);
        }
    }

    long jobs;
    long total;
    long pending;
    long pendingSince = -1;
    final TreeMap<Integer, Cursor> cursors = new TreeMap<>();
    final TriggerSegments segments = new TriggerSegments();
    List<OffsetSpan> headSpans = List.of();
    /** Labels (held-out ones included) in {@link #headSpans}. */
    long headLabels;
    /** The head's generation: 0 for the first job's head, one more for each refit on all labels. */
    int generation;
    final CapacityLedger capacity = new CapacityLedger();

    /** Jobs planned so far; the next job's sequence number is this plus one. */
    public long jobs() {
        return jobs;
    }

    /** Labels seen so far. */
    public long total() {
        return total;
    }

    /** Labels seen since the last job. */
    public long pending() {
        return pending;
    }

    /**
     * The labels the current shared LP-FT head is fitted from: the first job's, then all labels up to the latest
     * refit ({@link #refitHeadIfDue}). Empty before the first job.
     */
    public List<OffsetSpan> headSpans() {
        return headSpans;
    }

    /** How many labels {@link #headSpans()} hold. */
    public long headLabels() {
        return headLabels;
    }

    /** The current head's generation (0: the first job's head). */
    public int generation() {
        return generation;
    }

    /**
     * Starts a new generation if the labels planned so far are at least {@code refitFactor} times those the current
     * head was fitted on: its head is then fitted on all of them. {@code refitFactor} 0 never refits. True if a new
     * generation started. Call after the job's labels were cut, so "planned so far" includes them.
     */
    public boolean refitHeadIfDue(double refitFactor) {
        if (refitFactor <= 0 || headSpans.isEmpty()) {
            return false;
        }
        Selection planned = all();
        if (planned.count() < refitFactor * headLabels) {
            return false;
        }
        headSpans = planned.spans();
        headLabels = planned.count();
        generation++;
        return true;
    }

    /** Jobs pending and workers live, as far as the run events tell. */
    public CapacityLedger capacity() {
        return capacity;
    }

    /** Segments closed by deferred triggers wait for a job: one is due as soon as capacity allows. */
    public boolean owed() {
        return segments.owed();
    }

    /**
     * Counts the label at {@code offset} of {@code partition}, seen at wall-clock time {@code now}. A position at
     * or before one already counted is ignored (returns false), so a replay can never count a label twice.
     */
    public boolean add(int partition, long offset, long now) {
        Cursor c = cursors.get(partition);
        if (c == null) {
            c = new Cursor();
            c.first = offset;
            cursors.put(partition, c);
        } else if (offset < c.end) {
            return false;
        }
        if (c.pendingStart < 0) {
            c.pendingStart = offset;
        }
        c.end = offset + 1;
        total++;
        if (pending++ == 0) {
            pendingSince = now;
        }
        return true;
    }

    /** The count trigger: at least {@code labelsPerJob} new labels. */
    public boolean countDue(int labelsPerJob) {
        return pending >= labelsPerJob;
    }

    /** The time trigger: at least {@code minLabels} (and at least one) new labels, the oldest waiting {@code interval}. */
    public boolean timeDue(long now, Duration interval, int minLabels) {
        return pending >= Math.max(1, minLabels) && pendingSince >= 0 && now - pendingSince >= interval.toMillis();
    }

    /**
     * A trigger fired while the planner is at capacity (NEWEST_WINDOW): closes the pending labels into a segment no
     * job has taken yet, keeping the newest {@code keepSegments}. Returns the labels that slid out with it while in
     * no job (count 0 if none); they are also added to what {@link #takeLeftOut()} returns.
     */
    public Selection deferTrigger(int keepSegments) {
        if (pending == 0) {
            throw new IllegalStateException("no new labels to close a segment from");
        }
        return close(keepSegments);
    }

    /**
     * Plans the next job at a trigger: closes the pending labels into a new segment, keeping the newest
     * {@code keepSegments}, counts the job and, for the first job, records its labels as the shared head's. The job
     * covers segments deferred before it too. Returns the newest segment.
     */
    public Segment cut(int keepSegments) {
        if (pending == 0) {
            throw new IllegalStateException("no new labels to plan a job from");
        }
        close(keepSegments);
        return planned();
    }

    /**
     * Plans the next job from segments closed by deferred triggers, once capacity frees. Labels that arrived since
     * the last trigger stay pending for the next one, so the job is the newest triggers' labels, as a window is.
     */
    public Segment cutDeferred() {
        if (!segments.owed()) {
            throw new IllegalStateException("no deferred segment to plan a job from");
        }
        return planned();
    }

    private Segment planned() {
        Segment newest = segments.plan();
        if (headSpans.isEmpty()) {
            headSpans = newest.spans();
            headLabels = newest.count();
        }
        jobs++;
        return newest;
    }

    /** The labels left out of every job since the last call (count 0 if none), and forgets them. */
    public Selection takeLeftOut() {
        return segments.takeLeftOut();
    }

    /** Closes the pending labels into a new, not yet planned segment; returns what slid out in no job. */
    private Selection close(int keepSegments) {
        List<OffsetSpan> spans = new ArrayList<>();
        for (Map.Entry<Integer, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            if (c.pendingStart >= 0) {
                spans.add(new OffsetSpan(e.getKey(), c.pendingStart, c.end));
                c.pendingStart = -1;
            }
        }
        Segment segment = new Segment(pending, spans);
        pending = 0;
        pendingSince = -1;
        return segments.add(segment, keepSegments);
    }

    /** Every label seen so far: per partition, from the first one seen to the newest. */
    public Selection all() {
        List<OffsetSpan> spans = new ArrayList<>();
        cursors.forEach((p, c) -> spans.add(new OffsetSpan(p, c.first, c.end)));
        return new Selection(total - pending, spans);
    }

    /** The labels of the newest {@code triggers} segments, merged per partition (consecutive segments are contiguous). */
    public Selection window(int triggers) {
        return segments.window(triggers);
    }
}
