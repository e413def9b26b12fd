package io.warmstream.ingest.topology;

import io.warmstream.events.PreferenceLabel;
import io.warmstream.platform.PlainAvroSerde;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Confluent's framing (magic byte 0, 4-byte schema id, Avro binary) with one fixed schema id and no registry,
 * so TopologyTestDriver tests see the same kind of bytes and the same kind of decoding failures as production.
 */
final class WireFormatSerde implements Serde<PreferenceLabel> {

    static final int SCHEMA_ID = 7;
    private final PlainAvroSerde<PreferenceLabel> avro = new PlainAvroSerde<>(PreferenceLabel.class);

    @Override
    public Serializer<PreferenceLabel> serializer() {
        return (topic, label) -> {
            if (label == null) return null;
            byte[] body = avro.serializer().serialize(topic, label);
            return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(SCHEMA_ID).put(body).array();
        };
    }

    @Override
    public Deserializer<PreferenceLabel> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) return null;
            if (bytes.length < 5 || bytes[0] != 0) throw new SerializationException("unknown magic byte");
            int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
            if (id != SCHEMA_ID) throw new SerializationException("unknown schema id " + id);
            return avro.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, 5, bytes.length));
        };
    }
}
