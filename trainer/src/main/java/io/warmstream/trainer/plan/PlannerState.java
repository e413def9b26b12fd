package io.warmstream.trainer.plan;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the planner remembers about one average, kept in a changelogged store: how far it has seen each partition
 * of the label topic, the labels that arrived since the last job, the offset segments of the newest triggers
 * (for {@link DataSelection#NEWEST_WINDOW}) and the labels the shared head is fitted from.
 *
 * <p>Offsets are counted by record, never by arithmetic: the label topic is written transactionally, so commit
 * markers and aborted records take offsets that are not labels.
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
    final Deque<Segment> segments = new ArrayDeque<>();
    List<OffsetSpan> headSpans = List.of();

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

    /** The first job's labels: what the shared LP-FT head is fitted from. Empty before the first job. */
    public List<OffsetSpan> headSpans() {
        return headSpans;
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
     * Closes the pending labels into a new segment: the next job. Keeps the newest {@code keepSegments} segments
     * and, for the first job, records its labels as the shared head's.
     */
    public Segment cut(int keepSegments) {
        if (pending == 0) {
            throw new IllegalStateException("no new labels to plan a job from");
        }
        List<OffsetSpan> spans = new ArrayList<>();
        for (Map.Entry<Integer, Cursor> e : cursors.entrySet()) {
            Cursor c = e.getValue();
            if (c.pendingStart >= 0) {
                spans.add(new OffsetSpan(e.getKey(), c.pendingStart, c.end));
                c.pendingStart = -1;
            }
        }
        Segment segment = new Segment(pending, spans);
        segments.addLast(segment);
        while (segments.size() > Math.max(1, keepSegments)) {
            segments.removeFirst();
        }
        if (headSpans.isEmpty()) {
            headSpans = segment.spans();
        }
        jobs++;
        pending = 0;
        pendingSince = -1;
        return segment;
    }

    /** Every label seen so far: per partition, from the first one seen to the newest. */
    public Selection all() {
        List<OffsetSpan> spans = new ArrayList<>();
        cursors.forEach((p, c) -> spans.add(new OffsetSpan(p, c.first, c.end)));
        return new Selection(total - pending, spans);
    }

    /** The labels of the newest {@code triggers} segments, merged per partition (consecutive segments are contiguous). */
    public Selection window(int triggers) {
        TreeMap<Integer, long[]> merged = new TreeMap<>();
        long count = 0;
        int taken = 0;
        for (var it = segments.descendingIterator(); it.hasNext() && taken < triggers; taken++) {
            Segment s = it.next();
            count += s.count();
            for (OffsetSpan span : s.spans()) {
                merged.merge(span.partition(), new long[] {span.start(), span.end()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
        }
        List<OffsetSpan> spans = new ArrayList<>();
        merged.forEach((p, se) -> spans.add(new OffsetSpan(p, se[0], se[1])));
        return new Selection(count, spans);
    }
}
