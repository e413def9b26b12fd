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
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A training run event reduced to what the planner's capacity accounting needs: the job, the worker, the event type
 * and the worker's clock when it happened. It travels to the planner's task through a one-partition repartition
 * topic, like a {@link LabelPosition}, so it need not decode the Avro event again there.
 */
public record RunSignal(String jobId, String worker, String type, long time) implements PlannerInput {

    /**
     * Run event types that end a job: the worker's FINISHED, FAILED and SKIPPED ({@code work.RunEvents}; the planner
     * does not depend on the worker package, a test keeps the two in step).
     */
    public static final Set<String> ENDINGS = Set.of("FINISHED", "FAILED", "SKIPPED");

    public RunSignal {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(type, "type");
    }

    /** Whether this event ends its job: it no longer counts as pending. */
    public boolean endsJob() {
        return ENDINGS.contains(type);
    }

    /** Version byte, then job id, worker and type (modified UTF-8), then the time (long, big-endian). */
    public static Serde<RunSignal> serde() {
        return new RunSignalSerde();
    }

    private static final class RunSignalSerde implements Serde<RunSignal>, Serializer<RunSignal>, Deserializer<RunSignal> {

        private static final byte VERSION = 1;

        @Override
        public byte[] serialize(String topic, RunSignal s) {
            if (s == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                out.writeUTF(s.jobId());
                out.writeUTF(s.worker());
                out.writeUTF(s.type());
                out.writeLong(s.time());
            } catch (IOException e) {
                throw new SerializationException("cannot encode run signal", e);
            }
            return bytes.toByteArray();
        }

        @Override
        public RunSignal deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new SerializationException("run signal version " + version + " is not " + VERSION);
                }
                return new RunSignal(in.readUTF(), in.readUTF(), in.readUTF(), in.readLong());
            } catch (IOException e) {
                throw new SerializationException("cannot decode run signal", e);
            }
        }

        @Override
        public Serializer<RunSignal> serializer() {
            return this;
        }

        @Override
        public Deserializer<RunSignal> deserializer() {
            return this;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
        }

        @Override
        public void close() {
        }
    }
}
