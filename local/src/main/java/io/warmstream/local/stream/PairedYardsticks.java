package io.warmstream.local.stream;

import io.warmstream.scorer.evaluation.TestSetOutcomes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The final served version against its two yardsticks, the best single member and the model trained on all labels,
 * paired per gold test pair: the difference of accuracies and its standard error. Separate accuracies each carry
 * about 1.2 points of error on 1,000 pairs; the paired difference of two models judged on the same pairs is several
 * times tighter, so "at least matches" can be told from noise.
 */
final class PairedYardsticks {

    private PairedYardsticks() {
    }

    /**
     * Summary fields {@code final_minus_<yardstick>_gold_{id,ood}} and their {@code _se}; a yardstick whose outcomes
     * are missing (null) is left out.
     */
    static Map<String, Object> compare(List<TestSetOutcomes> finalServed, List<TestSetOutcomes> bestSingle,
                                       List<TestSetOutcomes> allLabels) {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "best_single", finalServed, bestSingle);
        put(out, "all_labels_model", finalServed, allLabels);
        return out;
    }

    private static void put(Map<String, Object> out, String yardstick, List<TestSetOutcomes> finalServed,
                            List<TestSetOutcomes> other) {
        if (finalServed == null || other == null) {
            return;
        }
        for (TestSetOutcomes mine : finalServed) {
            TestSetOutcomes theirs = other.stream().filter(o -> o.testSet().equals(mine.testSet())).findFirst()
                    .orElse(null);
            String set = StreamReport.key(mine.testSet());
            if (theirs == null || !(set.equals(StreamReport.GOLD_ID) || set.equals(StreamReport.GOLD_OOD))) {
                continue;
            }
            double[] d = mine.pairedDifference(theirs);
            String name = "final_minus_" + yardstick + (set.equals(StreamReport.GOLD_ID) ? "_gold_id" : "_gold_ood");
            out.put(name, d[0]);
            out.put(name + "_se", d[1]);
        }
    }
}
