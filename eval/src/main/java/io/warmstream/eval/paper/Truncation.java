package io.warmstream.eval.paper;

import io.warmstream.model.BaseModel;
import io.warmstream.model.text.PairTokenizer;
import io.warmstream.model.text.TokenizedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the simulator's text the reward models see: per split, the share of pairs whose longer (prompt,
 * response) sequence exceeds the token budget (the tokenizer then cuts the longest part first, usually the post,
 * whose outcome fact comes last), and the sequence length that 99% of pairs fit in (what the budget would have to
 * be for fewer than 1% truncated pairs). Best-of-N candidates count one sequence each.
 */
final class Truncation {

    /** The bar: fewer than this share of pairs may be cut. */
    static final double MAX_SHARE = 0.01;

    private Truncation() {
    }

    static Map<String, Object> measure(BaseModel base, int maxLength, EvalData data) {
        int limit = Math.max(maxLength + 1, base.config().maxPositions());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("maxLength", maxLength);
        out.put("maxShareAllowed", MAX_SHARE);
        try (PairTokenizer t = new PairTokenizer(base.tokenizerFile(), limit, false)) {
            PairSet train = data.training().values().iterator().next();
            Map<String, PairSet> sets = new LinkedHashMap<>();
            sets.put("train", train);
            sets.put("validation", data.validation());
            sets.put("ood", data.ood());
            sets.put("selection", data.selection());
            double worst = 0;
            for (Map.Entry<String, PairSet> e : sets.entrySet()) {
                int[] lengths = pairLengths(t, e.getValue());
                double share = shareAbove(lengths, maxLength);
                worst = Math.max(worst, share);
                out.put(e.getKey(), facts(lengths, maxLength));
            }
            int[] pool = poolLengths(t, data.pool());
            out.put("bestOfNCandidates", facts(pool, maxLength));
            worst = Math.max(worst, shareAbove(pool, maxLength));
            out.put("worstShare", worst);
            out.put("underOnePercent", worst < MAX_SHARE);
        }
        return out;
    }

    private static Map<String, Object> facts(int[] lengths, int maxLength) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", lengths.length);
        m.put("truncatedShare", shareAbove(lengths, maxLength));
        m.put("medianTokens", percentile(lengths, 0.5));
        m.put("p99Tokens", percentile(lengths, 0.99));
        m.put("maxTokens", lengths.length == 0 ? 0 : Arrays.stream(lengths).max().getAsInt());
        return m;
    }

    /** Per pair: the token count of the longer of (prompt, chosen) and (prompt, rejected). */
    static int[] pairLengths(PairTokenizer t, PairSet set) {
        int[] out = new int[set.size()];
        for (int i = 0; i < set.size(); i++) {
            String p = set.prompts().get(i);
            int[] both = lengths(t, List.of(p, p), List.of(set.chosen().get(i), set.rejected().get(i)));
            out[i] = Math.max(both[0], both[1]);
        }
        return out;
    }

    private static int[] poolLengths(PairTokenizer t, CandidatePool pool) {
        List<Integer> out = new ArrayList<>();
        for (int task = 0; task < pool.tasks(); task++) {
            List<String> texts = pool.texts().get(task);
            List<String> prompts = java.util.Collections.nCopies(texts.size(), pool.prompts().get(task));
            for (int n : lengths(t, prompts, texts)) {
                out.add(n);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] lengths(PairTokenizer t, List<String> prompts, List<String> responses) {
        TokenizedBatch b = t.encodePairs(prompts, responses);
        long[] mask = b.attentionMask();
        int[] out = new int[prompts.size()];
        for (int r = 0; r < out.length; r++) {
            int n = 0;
            for (int j = 0; j < b.seqLen(); j++) {
                n += (int) mask[r * b.seqLen() + j];
            }
            out[r] = n;
        }
        return out;
    }

    static double shareAbove(int[] lengths, int maxLength) {
        if (lengths.length == 0) {
            return 0;
        }
        return (double) Arrays.stream(lengths).filter(n -> n > maxLength).count() / lengths.length;
    }

    /** The q-quantile (nearest rank) of the lengths. */
    static int percentile(int[] lengths, double q) {
        if (lengths.length == 0) {
            return 0;
        }
        int[] sorted = lengths.clone();
        Arrays.sort(sorted);
        int rank = Math.max(0, (int) Math.ceil(q * sorted.length) - 1);
        return sorted[Math.min(sorted.length - 1, rank)];
    }
}
