package io.warmstream.local.stream;

import io.warmstream.eval.world.LabelledPair;
import io.warmstream.model.BaseModel;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ceiling and the input layout's cost, measured on the very labels and test pairs of a run: how often the
 * simulated labeller agrees with the gold reward (flips and Bradley-Terry noise included), and the share of pairs
 * whose longer (prompt, response) sequence does not fit in the trainers' token budget.
 */
final class WorldFacts {

    private WorldFacts() {
    }

    static Map<String, Object> measure(BaseModel base, int maxLength, List<LabelledPair> train, List<LabelledPair> tests) {
        Map<String, Object> m = new LinkedHashMap<>();
        long agree = train.stream().filter(l -> Double.parseDouble(l.metadata().get(LabelledPair.GOLD_MARGIN)) > 0).count();
        m.put("labeller_gold_agreement", train.isEmpty() ? null : (double) agree / train.size());
        m.put("train_labels", train.size());
        m.put("max_sequence_length", maxLength);
        double trainCut = truncated(base, maxLength, train);
        double testCut = truncated(base, maxLength, tests);
        m.put("truncated_pair_share_train", trainCut);
        m.put("truncated_pair_share_test", testCut);
        m.put("truncated_pair_share", (trainCut * train.size() + testCut * tests.size()) / Math.max(1, train.size() + tests.size()));
        return m;
    }

    /** Share of pairs where prompt + chosen or prompt + rejected is longer than {@code maxLength} tokens. */
    static double truncated(BaseModel base, int maxLength, List<LabelledPair> pairs) {
        if (pairs.isEmpty()) {
            return 0;
        }
        int limit = Math.max(maxLength + 1, base.config().maxPositions());
        int cut = 0;
        try (PairTokenizer t = new PairTokenizer(base.tokenizerFile(), limit, false)) {
            for (LabelledPair p : pairs) {
                TokenizedBatch b = t.encodePairs(List.of(p.prompt(), p.prompt()), List.of(p.chosen(), p.rejected()));
                long[] mask = b.attentionMask();
                int longest = 0;
                for (int r = 0; r < 2; r++) {
                    int n = 0;
                    for (int j = 0; j < b.seqLen(); j++) {
                        n += (int) mask[r * b.seqLen() + j];
                    }
                    longest = Math.max(longest, n);
                }
                if (longest > maxLength) {
                    cut++;
                }
            }
        }
        return (double) cut / pairs.size();
    }
}
