package io.warmstream.model.features;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The disk tier's file: one hidden state (T x H floats) with its key and a checksum, so that a short, torn or
 * foreign file is recognised instead of being read as features. (H is part of the key, so T x H is all it needs.)
 *
 * <pre>
 * magic "WSFC" | version | key (32 bytes) | float count | CRC32C of the payload | payload, little-endian fp32
 * </pre>
 */
final class FeatureFile {

    static final int MAGIC = 0x57534643;
    static final int VERSION = 1;
    static final int HEADER = 4 + 4 + SequenceKey.BYTES + 4 + 4;

    /** A file that is not a complete feature file of the expected key. */
    static final class CorruptException extends Exception {
        CorruptException(String message) {
            super(message);
        }
    }

    private FeatureFile() {
    }

    static byte[] encode(SequenceKey key, float[] hidden) {
        ByteBuffer payload = ByteBuffer.allocate(4 * hidden.length).order(ByteOrder.LITTLE_ENDIAN);
        payload.asFloatBuffer().put(hidden);
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        return ByteBuffer.allocate(HEADER + payload.capacity()).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(MAGIC).putInt(VERSION).put(key.bytes()).putInt(hidden.length)
                .putInt((int) crc.getValue()).put(payload.array()).array();
    }

    /** The hidden state in {@code bytes}, which must be {@code key}'s and complete. */
    static float[] decode(byte[] bytes, SequenceKey key) throws CorruptException {
        if (bytes.length < HEADER) {
            throw new CorruptException("short file: " + bytes.length + " bytes, the header alone has " + HEADER);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != MAGIC || b.getInt() != VERSION) {
            throw new CorruptException("not a version " + VERSION + " feature file");
        }
        byte[] stored = new byte[SequenceKey.BYTES];
        b.get(stored);
        if (!Arrays.equals(stored, key.bytes())) {
            throw new CorruptException("holds another key");
        }
        int floats = b.getInt();
        int expectedCrc = b.getInt();
        if (floats < 1 || HEADER + 4L * floats != bytes.length) {
            throw new CorruptException(bytes.length + " bytes for " + floats + " floats");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER, 4 * floats);
        if ((int) crc.getValue() != expectedCrc) {
            throw new CorruptException("checksum mismatch");
        }
        float[] out = new float[floats];
        b.asFloatBuffer().get(out);
        return out;
    }
}
