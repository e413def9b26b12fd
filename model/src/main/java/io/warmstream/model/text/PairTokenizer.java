package io.warmstream.model.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Encodes (prompt, response) as a BERT sentence pair: {@code [CLS] prompt [SEP] response [SEP]}, token type 0 for the
 * prompt part and 1 for the response. Truncation (longest first) and padding are set explicitly: DJL ignores the
 * settings stored in {@code tokenizer.json}.
 *
 * <p>Thread-safe: the Hugging Face tokenizer is immutable once built.
 */
public final class PairTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final boolean padToMaxLength;

    /**
     * @param tokenizerJson a Hugging Face {@code tokenizer.json}
     * @param maxLength tokens per sequence, special tokens included
     * @param padToMaxLength pad every batch to {@code maxLength}; otherwise to the batch's longest sequence
     */
    public PairTokenizer(Path tokenizerJson, int maxLength, boolean padToMaxLength) {
        if (maxLength < 4) {
            throw new IllegalArgumentException("maxLength must be >= 4 (three special tokens), got " + maxLength);
        }
        this.maxLength = maxLength;
        this.padToMaxLength = padToMaxLength;
        HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxLength)
                .optPadding(true);
        if (padToMaxLength) {
            b.optPadToMaxLength();
        }
        try {
            tokenizer = b.build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load tokenizer " + tokenizerJson, e);
        }
    }

    public int maxLength() {
        return maxLength;
    }

    public boolean padToMaxLength() {
        return padToMaxLength;
    }

    /** Encodes {@code firsts.get(i)} paired with {@code seconds.get(i)} for every i, as one padded batch. */
    public TokenizedBatch encodePairs(List<String> firsts, List<String> seconds) {
        if (firsts.size() != seconds.size()) {
            throw new IllegalArgumentException("got " + firsts.size() + " prompts but " + seconds.size() + " responses");
        }
        if (firsts.isEmpty()) {
            throw new IllegalArgumentException("nothing to encode");
        }
        PairList<String, String> pairs = new PairList<>(firsts.size());
        for (int i = 0; i < firsts.size(); i++) {
            pairs.add(requireText(firsts.get(i), "prompt", i), requireText(seconds.get(i), "response", i));
        }
        Encoding[] encodings = tokenizer.batchEncode(pairs);
        int batch = encodings.length;
        int seqLen = encodings[0].getIds().length;
        long[] ids = new long[batch * seqLen];
        long[] types = new long[batch * seqLen];
        long[] mask = new long[batch * seqLen];
        for (int i = 0; i < batch; i++) {
            Encoding e = encodings[i];
            if (e.getIds().length != seqLen) {
                throw new IllegalStateException("tokenizer returned ragged batch: " + e.getIds().length + " vs " + seqLen);
            }
            System.arraycopy(e.getIds(), 0, ids, i * seqLen, seqLen);
            System.arraycopy(e.getTypeIds(), 0, types, i * seqLen, seqLen);
            System.arraycopy(e.getAttentionMask(), 0, mask, i * seqLen, seqLen);
        }
        return new TokenizedBatch(batch, seqLen, ids, types, mask);
    }

    private static String requireText(String s, String what, int index) {
        if (s == null) {
            throw new IllegalArgumentException(what + " " + index + " is null");
        }
        return s;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
