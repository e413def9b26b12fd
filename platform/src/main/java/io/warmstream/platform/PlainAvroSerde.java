package io.warmstream.platform;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Avro binary without a registry: the writer and reader schema are both the compiled class's. For bytes that never
 * leave one application (a Streams app's own repartition topic) and for topology tests, where no registry round
 * trip is wanted. Records on shared topics go through {@code EventSerdes} (registry, Confluent framing) instead.
 */
public final class PlainAvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public PlainAvroSerde(Class<T> type) {
        this.type = type;
        SpecificData data = SpecificData.getForClass(type);
        // The class's own model carries its logical-type conversions (timestamp-millis <-> Instant).
        this.writer = new SpecificDatumWriter<>(data.getSchema(type), data);
        this.reader = new SpecificDatumReader<>(data.getSchema(type), data.getSchema(type), data);
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + value.getSchema().getFullName() + " for " + topic, e);
        }
        return out.toByteArray();
    }

    /** Bytes that are not exactly one {@code T} (truncated, or with bytes left over) are refused. */
    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("trailing bytes after a " + type.getSimpleName());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a " + type.getSimpleName() + " on topic " + topic + ": " + e, e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
