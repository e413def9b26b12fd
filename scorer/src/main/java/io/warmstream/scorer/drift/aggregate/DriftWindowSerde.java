package io.warmstream.scorer.drift;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Binary form of {@link DriftWindow} for the topology's window store and its changelog: state private to the drift
 * application, never an event other services read (those are Avro, in schemas/). Starts with a format byte so a
 * later layout can still read old state.
 */
public final class DriftWindowSerde implements Serde<DriftWindow> {

    private static final byte FORMAT = 1;

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
                w.sketch.write(out);
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
                if (format != FORMAT) {
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
                DriftWindow w = new DriftWindow(QuantileSketch.read(in));
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
            } catch (IOException e) {
                throw new SerializationException("not a drift window", e);
            }
        };
    }
}
