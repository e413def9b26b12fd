package io.warmstream.trainer.plan;

import io.warmstream.trainer.plan.PlannerState.Segment;
import io.warmstream.trainer.plan.PlannerState.Selection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/**
 * The offset segments of an average's newest triggers (what {@link DataSelection#NEWEST_WINDOW} jobs are made of)
 * and which of them no job has taken yet: part of {@link PlannerState}.
 *
 * <p>A trigger deferred at capacity still closes its segment, so the window keeps its size in triggers, but the
 * segment is unplanned until the next job takes the newest segments. The unplanned segments are always the newest
 * ones. One that slides out of the kept segments while unplanned is in no job: its labels are added to the
 * left-out labels, which the next job records ({@link #takeLeftOut()}).
 */
final class TriggerSegments {

    final Deque<Segment> deque = new ArrayDeque<>();
    /** The newest this many segments are in no job yet. */
    int unplanned;
    /** Labels that slid out while in no job, since the last job. */
    long leftOutCount;
    List<OffsetSpan> leftOutSpans = List.of();

    int size() {
        return deque.size();
    }

    boolean owed() {
        return unplanned > 0;
    }

    /**
     * Adds a trigger's segment, not yet planned, keeping the newest {@code keep} (at least one). Returns the labels
     * that slid out with it while in no job (count 0 if none); they are also added to the left-out labels.
     */
    Selection add(Segment segment, int keep) {
        deque.addLast(segment);
        unplanned++;
        List<Segment> slid = new ArrayList<>();
        while (deque.size() > Math.max(1, keep)) {
            Segment oldest = deque.removeFirst();
            // The unplanned segments are the newest ones: the oldest is one of them only if all are.
            if (unplanned > deque.size()) {
                unplanned--;
                slid.add(oldest);
            }
        }
        Selection out = merge(slid);
        if (out.count() > 0) {
            // Segments slide out oldest first, so those left out since the last job are consecutive.
            List<Segment> all = new ArrayList<>();
            all.add(new Segment(leftOutCount, leftOutSpans));
            all.addAll(slid);
            Selection merged = merge(all);
            leftOutCount = merged.count();
            leftOutSpans = merged.spans();
        }
        return out;
    }

    /** A job takes the kept segments: none is unplanned any more. Returns the newest. */
    Segment plan() {
        unplanned = 0;
        return deque.getLast();
    }

    /** The labels left out of every job since the last call (count 0 if none), and forgets them. */
    Selection takeLeftOut() {
        Selection out = new Selection(leftOutCount, leftOutSpans);
        leftOutCount = 0;
        leftOutSpans = List.of();
        return out;
    }

    /** The labels of the newest {@code triggers} segments, merged per partition. */
    Selection window(int triggers) {
        List<Segment> newest = new ArrayList<>();
        for (var it = deque.descendingIterator(); it.hasNext() && newest.size() < triggers; ) {
            newest.add(it.next());
        }
        return merge(newest);
    }

    /**
     * Consecutive segments as one selection: per partition from the smallest start to the largest end. Exact for
     * labels, because consecutive segments leave no label out between them (only offsets that are not labels).
     */
    private static Selection merge(List<Segment> consecutive) {
        TreeMap<Integer, long[]> merged = new TreeMap<>();
        long count = 0;
        for (Segment s : consecutive) {
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
