package io.warmstream.trainer.plan;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Binary form of {@link PlannerState} for the planner's store and its changelog. Internal to the planner (not an
 * event), so a versioned hand-written layout rather than an Avro schema in the registry. Version 2 appends the
 * deferred segments, the left-out labels and the capacity ledger; version 1 (before them) still reads, as a state
 * with no job pending, so an upgraded planner restores its old changelog. Version 3 appends the head's label count
 * and generation; before it the count is estimated from the head's offsets and the generation is 0.
 */
final class PlannerStateSerde implements Serde<PlannerState>, Serializer<PlannerState>, Deserializer<PlannerState> {

    private static final byte VERSION = 3;
    private static final byte VERSION_2 = 2;
    private static final byte VERSION_1 = 1;

    @Override
    public byte[] serialize(String topic, PlannerState s) {
        if (s == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(s.jobs);
            out.writeLong(s.total);
            out.writeLong(s.pending);
            out.writeLong(s.pendingSince);
            out.writeInt(s.cursors.size());
            for (Map.Entry<Integer, PlannerState.Cursor> e : s.cursors.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue().first);
                out.writeLong(e.getValue().pendingStart);
                out.writeLong(e.getValue().end);
            }
            out.writeInt(s.segments.size());
            for (PlannerState.Segment seg : s.segments.deque) {
                out.writeLong(seg.count());
                writeSpans(out, seg.spans());
            }
            writeSpans(out, s.headSpans);
            out.writeInt(s.segments.unplanned);
            out.writeLong(s.segments.leftOutCount);
            writeSpans(out, s.segments.leftOutSpans);
            writeTimes(out, s.capacity.pendingJobs);
            writeTimes(out, s.capacity.workers);
            out.writeLong(s.headLabels);
            out.writeInt(s.generation);
        } catch (IOException e) {
            throw new SerializationException("cannot encode planner state", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public PlannerState deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version < VERSION_1 || version > VERSION) {
                throw new SerializationException("planner state version " + version + " is not " + VERSION_1
                        + " to " + VERSION);
            }
            PlannerState s = new PlannerState();
            s.jobs = in.readLong();
            s.total = in.readLong();
            s.pending = in.readLong();
            s.pendingSince = in.readLong();
            int cursors = in.readInt();
            for (int i = 0; i < cursors; i++) {
                int partition = in.readInt();
                PlannerState.Cursor c = new PlannerState.Cursor();
                c.first = in.readLong();
                c.pendingStart = in.readLong();
                c.end = in.readLong();
                s.cursors.put(partition, c);
            }
            int segments = in.readInt();
            for (int i = 0; i < segments; i++) {
                long count = in.readLong();
                s.segments.deque.addLast(new PlannerState.Segment(count, readSpans(in)));
            }
            s.headSpans = readSpans(in);
            if (version >= VERSION_2) {
                s.segments.unplanned = in.readInt();
                s.segments.leftOutCount = in.readLong();
                s.segments.leftOutSpans = readSpans(in);
                readTimes(in, s.capacity.pendingJobs);
                readTimes(in, s.capacity.workers);
            }
            if (version >= VERSION) {
                s.headLabels = in.readLong();
                s.generation = in.readInt();
            } else {
                // offsets over-count records (transaction markers), so an old head looks a little bigger: refits later
                s.headLabels = s.headSpans.stream().mapToLong(span -> span.end() - span.start()).sum();
            }
            return s;
        } catch (IOException e) {
            throw new SerializationException("cannot decode planner state", e);
        }
    }

    private static void writeSpans(DataOutputStream out, List<OffsetSpan> spans) throws IOException {
        out.writeInt(spans.size());
        for (OffsetSpan span : spans) {
            out.writeInt(span.partition());
            out.writeLong(span.start());
            out.writeLong(span.end());
        }
    }

    private static List<OffsetSpan> readSpans(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<OffsetSpan> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            spans.add(new OffsetSpan(in.readInt(), in.readLong(), in.readLong()));
        }
        return List.copyOf(spans);
    }

    private static void writeTimes(DataOutputStream out, Map<String, Long> times) throws IOException {
        out.writeInt(times.size());
        for (Map.Entry<String, Long> e : times.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    private static void readTimes(DataInputStream in, Map<String, Long> into) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            into.put(in.readUTF(), in.readLong());
        }
    }

    @Override
    public Serializer<PlannerState> serializer() {
        return this;
    }

    @Override
    public Deserializer<PlannerState> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
