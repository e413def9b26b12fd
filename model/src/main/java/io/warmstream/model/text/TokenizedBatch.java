package io.warmstream.model.text;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** A padded batch of token ids, token type ids and attention mask, each [batch, seqLen], row-major. */
public record TokenizedBatch(int batch, int seqLen, long[] inputIds, long[] tokenTypeIds, long[] attentionMask) {

    /** The three int64 arrays the encoder takes, on {@code manager}'s device. */
    public NDList toNDList(NDManager manager) {
        Shape shape = new Shape(batch, seqLen);
        return new NDList(
                manager.create(inputIds, shape),
                manager.create(tokenTypeIds, shape),
                manager.create(attentionMask, shape));
    }

    /** Number of non-padding tokens. */
    public long realTokens() {
        long n = 0;
        for (long m : attentionMask) {
            n += m;
        }
        return n;
    }
}
