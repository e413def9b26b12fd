package io.warmstream.model.features;

import io.warmstream.model.text.TokenizedBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One tokenised (prompt, response) sequence without padding: its token ids and token types. The frozen bottom's
 * output for it depends on nothing else (padding is masked out), so it is what a cached hidden state is keyed by.
 */
public record TokenSequence(long[] ids, long[] types) {

    public TokenSequence {
        if (ids.length == 0 || ids.length != types.length) {
            throw new IllegalArgumentException("need as many token types as ids, at least one; got " + ids.length
                    + " and " + types.length);
        }
    }

    public int length() {
        return ids.length;
    }

    /** The rows of a right-padded batch, each cut to its real tokens. */
    public static List<TokenSequence> rows(TokenizedBatch batch) {
        int t = batch.seqLen();
        List<TokenSequence> out = new ArrayList<>(batch.batch());
        for (int r = 0; r < batch.batch(); r++) {
            int length = realLength(batch.attentionMask(), r, t);
            int from = r * t;
            out.add(new TokenSequence(java.util.Arrays.copyOfRange(batch.inputIds(), from, from + length),
                    java.util.Arrays.copyOfRange(batch.tokenTypeIds(), from, from + length)));
        }
        return out;
    }

    /** The sequences as one batch padded on the right to the longest (padding: id 0, type 0, mask 0). */
    public static TokenizedBatch pad(List<TokenSequence> sequences) {
        int b = sequences.size();
        int t = sequences.stream().mapToInt(TokenSequence::length).max().orElseThrow();
        long[] ids = new long[b * t];
        long[] types = new long[b * t];
        long[] mask = new long[b * t];
        for (int r = 0; r < b; r++) {
            TokenSequence s = sequences.get(r);
            System.arraycopy(s.ids, 0, ids, r * t, s.length());
            System.arraycopy(s.types, 0, types, r * t, s.length());
            java.util.Arrays.fill(mask, r * t, r * t + s.length(), 1L);
        }
        return new TokenizedBatch(b, t, ids, types, mask);
    }

    /** Real tokens of row r; padding must be on the right (what cutting and re-padding rows assumes). */
    private static int realLength(long[] mask, int row, int t) {
        int length = 0;
        while (length < t && mask[row * t + length] == 1) {
            length++;
        }
        for (int k = length; k < t; k++) {
            if (mask[row * t + k] != 0) {
                throw new IllegalStateException("tokenizer padded on the left; the feature cache needs right padding");
            }
        }
        if (length == 0) {
            throw new IllegalStateException("row " + row + " has no real token");
        }
        return length;
    }
}
