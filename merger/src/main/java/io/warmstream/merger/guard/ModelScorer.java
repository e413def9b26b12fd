package io.warmstream.merger.guard;

import io.warmstream.model.Compute;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;

import java.nio.file.Path;
import java.util.List;

/** Accuracy of the reward model in a directory on preference pairs (fraction where chosen outscores rejected). */
@FunctionalInterface
public interface ModelScorer {

    double accuracy(Path modelDir, List<PreferencePair> pairs);

    /** Loads the model (hash-verified) on {@code compute} and evaluates it. */
    static ModelScorer rewardModels(Compute compute) {
        return (dir, pairs) -> {
            try (RewardModel model = RewardModel.load(dir, compute)) {
                return model.evaluate(pairs).accuracy();
            }
        };
    }
}
