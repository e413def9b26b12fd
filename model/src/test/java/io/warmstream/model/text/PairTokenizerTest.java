package io.warmstream.model.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmstream.model.BaseModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairTokenizerTest {

    private static final Path TOKENIZER = BaseModels.miniLm().tokenizerFile();
    private static final long CLS = 101, SEP = 102, PAD = 0;

    @Test
    void encodesASentencePairWithTokenTypes() {
        try (PairTokenizer t = new PairTokenizer(TOKENIZER, 64, false)) {
            TokenizedBatch b = t.encodePairs(List.of("hello world", "hi"), List.of("good answer", "a much longer answer here"));
            assertEquals(2, b.batch());
            int len = b.seqLen();
            long[] ids = b.inputIds();
            // row 0: [CLS] hello world [SEP] good answer [SEP] [PAD]...
            assertEquals(CLS, ids[0]);
            assertEquals(SEP, ids[3]);
            assertEquals(SEP, ids[6]);
            assertEquals(0, b.tokenTypeIds()[2]);
            assertEquals(0, b.tokenTypeIds()[3]);
            assertEquals(1, b.tokenTypeIds()[4]);
            assertEquals(1, b.tokenTypeIds()[6]);
            // padded to the longest row (row 1: [CLS] hi [SEP] a much longer answer here [SEP] = 9)
            assertEquals(9, len);
            assertEquals(PAD, ids[7]);
            assertEquals(0, b.attentionMask()[7]);
            assertEquals(1, b.attentionMask()[6]);
            assertEquals(7 + 9, b.realTokens());
        }
    }

    @Test
    void truncatesToMaxLengthAndCanPadToIt() {
        String longText = "word ".repeat(200);
        try (PairTokenizer t = new PairTokenizer(TOKENIZER, 16, true)) {
            TokenizedBatch b = t.encodePairs(List.of(longText, "x"), List.of(longText, "y"));
            assertEquals(16, b.seqLen());
            assertEquals(SEP, b.inputIds()[15]);
            assertEquals(1, b.tokenTypeIds()[15]); // the response kept a share of the budget
            assertEquals(PAD, b.inputIds()[16 + 5]);
        }
        try (PairTokenizer t = new PairTokenizer(TOKENIZER, 16, false)) {
            assertThrows(IllegalArgumentException.class, () -> t.encodePairs(List.of("a"), List.of()));
        }
    }
}
