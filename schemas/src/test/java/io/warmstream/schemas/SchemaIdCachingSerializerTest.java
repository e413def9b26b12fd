package io.warmstream.schemas;

import io.warmstream.events.ScoreRequest;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The id cache in front of the registry serializer, with a stand-in that frames ids per topic. */
class SchemaIdCachingSerializerTest {

    /** Frames like Apicurio with as-confluent: magic 0, 4-byte id (here: topic length), Avro binary. */
    static final class FramingStandIn implements Serializer<Object> {
        final List<String> calls = new ArrayList<>();

        @Override
        public byte[] serialize(String topic, Object data) {
            calls.add(topic);
            return frame(topic.length(), (ScoreRequest) data);
        }
    }

    @Test
    void asksTheRegistrySerializerOncePerTopicAndSchemaThenFramesIdentically() {
        FramingStandIn standIn = new FramingStandIn();
        SchemaIdCachingSerializer<ScoreRequest> ser = new SchemaIdCachingSerializer<>(standIn, 60_000);
        for (int i = 0; i < 10; i++) {
            ScoreRequest r = request(i);
            assertArrayEquals(frame(5, r), ser.serialize("short", r));
            assertArrayEquals(frame(11, r), ser.serialize("much-longer", r));
        }
        assertEquals(List.of("short", "much-longer"), standIn.calls);
        assertEquals(null, ser.serialize("short", null));
    }

    @Test
    void framesAreResolvedAgainAfterTheCheckPeriod() {
        FramingStandIn standIn = new FramingStandIn();
        SchemaIdCachingSerializer<ScoreRequest> ser = new SchemaIdCachingSerializer<>(standIn, 0);
        ser.serialize("t", request(1));
        ser.serialize("t", request(2));
        ser.serialize("t", request(3));
        assertEquals(3, standIn.calls.size());
    }

    @Test
    void aReusedBufferNeverLeaksBytesOfAnEarlierLargerRecord() {
        SchemaIdCachingSerializer<ScoreRequest> ser = new SchemaIdCachingSerializer<>(new FramingStandIn(), 60_000);
        ser.serialize("t", request(0)); // resolves the frame; later records are encoded in the reused buffer
        ScoreRequest huge = ScoreRequest.newBuilder(request(1)).setResponse("x".repeat(2 << 20)).build();
        ScoreRequest big = ScoreRequest.newBuilder(request(2)).setResponse("y".repeat(5000)).build();
        ScoreRequest small = request(3);
        assertArrayEquals(frame(1, huge), ser.serialize("t", huge));
        assertArrayEquals(frame(1, big), ser.serialize("t", big));
        assertArrayEquals(frame(1, small), ser.serialize("t", small));
        assertArrayEquals(frame(1, big), ser.serialize("t", big));
    }

    static ScoreRequest request(int i) {
        return ScoreRequest.newBuilder().setRequestId("r" + i).setPrompt("p" + i).setResponse("answer " + i)
                .setRequestedAt(Instant.ofEpochMilli(1000L * i)).build();
    }

    static byte[] frame(int id, ScoreRequest r) {
        if (r == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0, 0, 0, 0, (byte) id});
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<ScoreRequest>(ScoreRequest.class).write(r, e);
            e.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
