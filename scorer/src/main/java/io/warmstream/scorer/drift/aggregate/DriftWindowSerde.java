package io.warmstream.scorer.drift.aggregate;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Binary form of {@link DriftWindow} for the topology's window store and its changelog: state private to the drift
 * application, never an event other services read (those are Avro, in schemas/). Starts with a format byte so a
 * later layout can still read old state: format 2 holds the rewards as a KLL sketch's own bytes; format 1 (the
 * hand-written sketch before it, in state stores and changelogs written by older scorers) is read into a KLL sketch
 * with each stored point counted by its weight, so open windows carry on across the upgrade (logged once).
 */
public final class DriftWindowSerde implements Serde<DriftWindow> {

    private static final Logger LOG = LoggerFactory.getLogger(DriftWindowSerde.class);
    private static final byte FORMAT = 2;
    private static final byte FORMAT_BEFORE_KLL = 1;
    private static final AtomicBoolean CONVERTED_LOGGED = new AtomicBoolean();

    @Override
    public Serializer<DriftWindow> serializer() {
        return (topic, w) -> {
            if (w == null) {
                return null;
            }
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(FORMAT);
                out.writeUTF(w.average == null ? "" : w.average);
                out.writeLong(w.version);
                out.writeLong(w.scored);
                out.writeDouble(w.mean);
                out.writeDouble(w.m2);
                out.writeLong(w.prequentialCorrect);
                out.writeLong(w.prequentialCount);
                out.writeLong(w.previousVersion == null ? -1 : w.previousVersion);
                out.writeLong(w.agreementSame);
                out.writeLong(w.agreementCount);
                byte[] sketch = w.sketch.toBytes();
                out.writeInt(sketch.length);
                out.write(sketch);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("drift window", e);
            }
        };
    }

    @Override
    public Deserializer<DriftWindow> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
                byte format = in.readByte();
                if (format != FORMAT && format != FORMAT_BEFORE_KLL) {
                    throw new SerializationException("unknown drift window format " + format);
                }
                String average = in.readUTF();
                long version = in.readLong();
                long scored = in.readLong();
                double mean = in.readDouble();
                double m2 = in.readDouble();
                long pc = in.readLong();
                long pn = in.readLong();
                long previous = in.readLong();
                long as = in.readLong();
                long an = in.readLong();
                DriftWindow w = new DriftWindow(format == FORMAT ? readSketch(in) : readSketchBeforeKll(in));
                w.average = average.isEmpty() ? null : average;
                w.version = version;
                w.scored = scored;
                w.mean = mean;
                w.m2 = m2;
                w.prequentialCorrect = pc;
                w.prequentialCount = pn;
                w.previousVersion = previous < 0 ? null : previous;
                w.agreementSame = as;
                w.agreementCount = an;
                return w;
            } catch (SerializationException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // RuntimeException: the KLL library refusing its bytes
                throw new SerializationException("not a drift window", e);
            }
        };
    }

    private static RewardSketch readSketch(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("sketch of " + n + " bytes, " + in.available() + " left");
        }
        return RewardSketch.fromBytes(in.readNBytes(n));
    }

    /** Format 1's sketch: capacity, points, values added, then (value, weight) per point. */
    private static RewardSketch readSketchBeforeKll(DataInputStream in) throws IOException {
        int capacity = in.readInt();
        int points = in.readInt();
        in.readLong(); // values added: the sum of the weights
        if (points < 0 || points > capacity) {
            throw new IOException("sketch holds " + points + " points, capacity " + capacity);
        }
        RewardSketch sketch = new RewardSketch(Math.max(RewardSketch.MIN_K, Math.min(RewardSketch.MAX_K, capacity)));
        for (int i = 0; i < points; i++) {
            double value = in.readDouble();
            long weight = in.readLong();
            if (weight > 0) {
                sketch.add(value, weight);
            }
        }
        if (CONVERTED_LOGGED.compareAndSet(false, true)) {
            LOG.info("drift windows stored before the KLL sketch are converted as they are read (their points by weight)");
        }
        return sketch;
    }
}
