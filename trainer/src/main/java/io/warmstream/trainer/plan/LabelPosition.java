package io.warmstream.trainer.plan;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;

/** Where one label sits in the label topic: what the planner's counting stage receives instead of the label. */
public record LabelPosition(int partition, long offset) implements PlannerInput {

    /** 12 bytes: partition (int) then offset (long), big-endian. */
    public static Serde<LabelPosition> serde() {
        return new LabelPositionSerde();
    }

    private static final class LabelPositionSerde implements Serde<LabelPosition>, Serializer<LabelPosition>,
            Deserializer<LabelPosition> {

        @Override
        public byte[] serialize(String topic, LabelPosition p) {
            return p == null ? null : ByteBuffer.allocate(12).putInt(p.partition()).putLong(p.offset()).array();
        }

        @Override
        public LabelPosition deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length != 12) {
                throw new SerializationException("a label position is 12 bytes, got " + data.length);
            }
            ByteBuffer b = ByteBuffer.wrap(data);
            return new LabelPosition(b.getInt(), b.getLong());
        }

        @Override
        public Serializer<LabelPosition> serializer() {
            return this;
        }

        @Override
        public Deserializer<LabelPosition> deserializer() {
            return this;
        }

        @Override
        public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        }

        @Override
        public void close() {
        }
    }
}
