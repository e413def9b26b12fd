package io.warmstream.scorer.batching;

import java.util.List;

/**
 * What a request costs the model, in padded tokens, estimated without tokenizing: every (prompt, response) pair is
 * one sequence of at most {@code maxSequenceTokens}, and a batch is padded to its longest sequence, so a request
 * costs items x (its longest pair's tokens) x forward passes per item (1 for WARM, M members for ENS).
 * <p>
 * Tokens are bounded from above by one per non-whitespace code point plus the three special tokens
 * ({@code [CLS] p [SEP] r [SEP]}): WordPiece splits on whitespace and punctuation and every piece covers at least one
 * character, so no text can cost more than it is counted for. Ordinary English costs about a quarter of that, so
 * short items are over-counted; long items (the expensive ones) are capped at the model's length and counted exactly.
 * A count takes one pass over the characters, cheap enough for the event loop.
 */
public final class TokenCost {

    static final int SPECIAL_TOKENS = 3;

    private TokenCost() {
    }

    /** Padded tokens per item: the longest pair's token bound, at most {@code maxSequenceTokens}. */
    public static int paddedLength(List<String> prompts, List<String> responses, int maxSequenceTokens) {
        long longest = 0;
        for (int i = 0; i < prompts.size() && longest < maxSequenceTokens; i++) {
            longest = Math.max(longest, (long) tokenBound(prompts.get(i)) + tokenBound(responses.get(i)) + SPECIAL_TOKENS);
        }
        return (int) Math.min(longest, maxSequenceTokens);
    }

    /** Non-whitespace code points: an upper bound of the text's WordPiece tokens. */
    static int tokenBound(String text) {
        int n = 0;
        for (int i = 0, len = text.length(); i < len; ) {
            int cp = text.codePointAt(i);
            if (!Character.isWhitespace(cp)) {
                n++;
            }
            i += Character.charCount(cp);
        }
        return n;
    }
}
