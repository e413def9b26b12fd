package io.warmstream.merger.guard;

import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;

import java.nio.file.Path;
import java.util.List;

/**
 * Which preference pairs the reward model in a directory ranks right: reward(chosen) &gt; reward(rejected), ties
 * counting as wrong (as {@link io.warmstream.model.Evaluation} counts them). Per pair rather than one accuracy, so
 * the quality gate can compare two versions pair by pair.
 */
@FunctionalInterface
public interface PairRanker {

    boolean[] rankedRight(Path modelDir, List<PreferencePair> pairs);

    /**
     * A model like those the checks will score is at {@code modelDir}, though the checks did not score it (too few
     * held-out labels yet): a scorer with a cache may open it now so it can be prewarmed before the next checkpoint.
     */
    default void prepare(Path modelDir) {
    }

    /** The fraction ranked right. */
    static double accuracy(boolean[] rankedRight) {
        int right = 0;
        for (boolean r : rankedRight) {
            if (r) {
                right++;
            }
        }
        return rankedRight.length == 0 ? Double.NaN : (double) right / rankedRight.length;
    }

    /** Loads the model (hash-verified) on {@code compute} and scores both responses of every pair. */
    static PairRanker rewardModels(Compute compute) {
        return (dir, pairs) -> {
            try (RewardModel model = RewardModel.load(dir, compute)) {
                RewardModel.PairRewards r = model.scorePairs(pairs);
                return rankedRight(r.chosen(), r.rejected());
            }
        };
    }

    /** Pair i is ranked right when {@code chosen[i] > rejected[i]}; a tie is wrong. */
    static boolean[] rankedRight(float[] chosen, float[] rejected) {
        boolean[] right = new boolean[chosen.length];
        for (int i = 0; i < right.length; i++) {
            right[i] = (double) chosen[i] - rejected[i] > 0;
        }
        return right;
    }
}
