package io.warmstream.model.features;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a cached hidden state is the output of, as a SHA-256: the frozen bottom (fingerprint of its weights, number
 * of layers, hidden size), the tokenizer's length limit, and the sequence's token ids and types. Equal keys mean
 * the same input to the same weights, in this process or in another one sharing the disk tier; a collision would
 * take a SHA-256 collision.
 */
public final class SequenceKey {

    public static final int BYTES = 32;
    private static final long KEY_LAYOUT = 0x5753_4643_0001L;

    private final byte[] digest;
    private final int hash;

    private SequenceKey(byte[] digest) {
        this.digest = digest;
        this.hash = Arrays.hashCode(digest);
    }

    /** The part every key of one bottom shares: hashed in front of the tokens. */
    public static byte[] namespace(long bottomFingerprint, int frozenLayers, int hiddenSize, int maxLength) {
        // The trailing constant is the key layout's version: a new layout must not find the old one's files.
        return ByteBuffer.allocate(8 + 3 * 4 + 8).putLong(bottomFingerprint).putInt(frozenLayers)
                .putInt(hiddenSize).putInt(maxLength).putLong(KEY_LAYOUT).array();
    }

    public static SequenceKey of(byte[] namespace, TokenSequence tokens) {
        ByteBuffer b = ByteBuffer.allocate(namespace.length + 4 + 8 * tokens.length());
        b.put(namespace).putInt(tokens.length());
        // Ids and types fit in an int (vocabularies are far smaller): half the bytes to hash.
        for (int i = 0; i < tokens.length(); i++) {
            b.putInt((int) tokens.ids()[i]).putInt((int) tokens.types()[i]);
        }
        return new SequenceKey(sha256().digest(b.array()));
    }

    /** A key from its {@link #bytes()}, e.g. read back from a file header. */
    public static SequenceKey fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a key has " + BYTES + " bytes, got " + bytes.length);
        }
        return new SequenceKey(bytes.clone());
    }

    public byte[] bytes() {
        return digest.clone();
    }

    /** 64 lower-case hex digits: the disk tier's file name. */
    public String hex() {
        return HexFormat.of().formatHex(digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceKey k && Arrays.equals(digest, k.digest);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex().substring(0, 12);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
