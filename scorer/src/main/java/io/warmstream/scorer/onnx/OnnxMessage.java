package io.warmstream.scorer.onnx;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A protobuf message being written, field by field, in wire format: just enough of protobuf to emit ONNX's
 * {@code ModelProto} without generated classes. Nested messages are written to their own {@code OnnxMessage} and
 * added as length-delimited fields. Repeated scalars are written unpacked (onnx.proto is proto2).
 */
final class OnnxMessage {

    private final ByteArrayOutputStream bytes;
    private final CodedOutputStream out;

    OnnxMessage() {
        this(256);
    }

    OnnxMessage(int sizeHint) {
        bytes = new ByteArrayOutputStream(sizeHint);
        out = CodedOutputStream.newInstance(bytes, 1 << 16);
    }

    OnnxMessage string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    OnnxMessage int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    OnnxMessage float32(int field, float value) {
        try {
            out.writeFloat(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    OnnxMessage bytes(int field, byte[] value) {
        try {
            out.writeByteArray(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    OnnxMessage message(int field, OnnxMessage value) {
        return bytes(field, value.toByteArray());
    }

    /** Little-endian fp32 bytes, as ONNX's {@code raw_data} holds them. */
    static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static byte[] littleEndian(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }

    byte[] toByteArray() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
