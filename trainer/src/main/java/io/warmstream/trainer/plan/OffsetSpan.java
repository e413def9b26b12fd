package io.warmstream.trainer.plan;

import io.warmstream.events.OffsetRange;

/** Offsets {@code [start, end)} of one partition of the label topic; the planner's own, topic-free form of an {@link OffsetRange}. */
public record OffsetSpan(int partition, long start, long end) {

    public OffsetSpan {
        if (partition < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad offset span " + partition + ":[" + start + "," + end + ")");
        }
    }

    public OffsetRange toRange(String topic) {
        return new OffsetRange(topic, partition, start, end);
    }

    @Override
    public String toString() {
        return partition + ":[" + start + "," + end + ")";
    }
}
