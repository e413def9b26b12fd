package io.warmstream.schemas;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apicurio's Avro serializer, with its per-record cost removed: Apicurio turns the record's schema into JSON
 * text for every record to find its id (measured: about 4 times slower than encoding the record). The first
 * record of each (topic, schema) goes through Apicurio, which registers or looks up the schema; its 5-byte
 * Confluent frame (magic byte 0 + schema id) is remembered and later records are framed and Avro-encoded
 * here, byte for byte as Apicurio would. The frame is re-resolved through Apicurio after
 * {@code apicurio.registry.check-period-ms} (Apicurio's own cache period), so a registry that lost its
 * state is noticed just as Apicurio would notice it; a registry that cannot be reached then is not a reason to fail
 * the record ({@link RegistryOutage}): the known frame is kept and asked about again a period later. Only used for
 * Confluent framing with binary encoding.
 */
final class SchemaIdCachingSerializer<T> implements Serializer<T> {

    private static final int FRAME = 5;

    /**
     * Per-thread buffer and encoder, reused across records: growing a fresh stream to ~1 KB per label was most of
     * this serializer's garbage. Only the returned array (exactly the record's size) is allocated per record.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch extends ByteArrayOutputStream {
        private static final int KEEP_AT_MOST = 1 << 20;
        BinaryEncoder encoder;

        Scratch() {
            super(4096);
        }

        @Override
        public synchronized void reset() {
            if (buf.length > KEEP_AT_MOST) {
                buf = new byte[4096]; // one huge record must not pin its buffer to the thread for ever
            }
            super.reset();
        }
    }

    private final Serializer<Object> apicurio;
    private final long refreshNanos;
    private final Map<Key, Frame> frames = new ConcurrentHashMap<>();

    SchemaIdCachingSerializer(Serializer<Object> apicurio, long refreshMillis) {
        this.apicurio = apicurio;
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    private record Key(String topic, Schema schema) {
    }

    private record Frame(byte[] header, DatumWriter<Object> writer, long refreshAt) {
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Configured once by EventSerdes.
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, T data) {
        if (!(data instanceof SpecificRecord record)) {
            return headers == null ? apicurio.serialize(topic, data) : apicurio.serialize(topic, headers, data);
        }
        Key key = new Key(topic, record.getSchema());
        Frame frame = frames.get(key);
        if (frame == null || System.nanoTime() - frame.refreshAt() > 0) {
            byte[] bytes;
            try {
                bytes = headers == null ? apicurio.serialize(topic, data) : apicurio.serialize(topic, headers, data);
            } catch (RuntimeException e) {
                if (frame == null || !RegistryOutage.isOutage(e)) {
                    throw e;
                }
                // The registry is away but this schema's id is known: keep writing with it, ask again next period.
                frame = new Frame(frame.header(), frame.writer(), System.nanoTime() + refreshNanos);
                frames.put(key, frame);
                return encode(frame, record, topic, data);
            }
            if (bytes != null && bytes.length >= FRAME && bytes[0] == 0) {
                frames.put(key, new Frame(Arrays.copyOf(bytes, FRAME), new SpecificDatumWriter<>(key.schema()),
                        System.nanoTime() + refreshNanos));
            }
            return bytes;
        }
        return encode(frame, record, topic, data);
    }

    private static byte[] encode(Frame frame, SpecificRecord record, String topic, Object data) {
        Scratch scratch = SCRATCH.get();
        try {
            scratch.reset();
            scratch.write(frame.header());
            scratch.encoder = EncoderFactory.get().directBinaryEncoder(scratch, scratch.encoder);
            frame.writer().write(data, scratch.encoder);
            scratch.encoder.flush();
            return scratch.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + record.getSchema().getFullName() + " for " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        apicurio.close();
    }
}
