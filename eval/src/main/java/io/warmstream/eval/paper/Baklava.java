package io.warmstream.eval.paper;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The paper's "Baklava" diversity: members start from different checkpoints of one shared fine-tuning run instead
 * of all from the LP-FT initialisation. The shared run starts at the initialisation with the first member's recipe
 * and is trained in M - 1 segments of steps / M steps each (so its checkpoints are spread over one run's worth of
 * steps); checkpoint 0 is the initialisation itself, so member 1 is the same model as without Baklava. Each segment
 * restarts the learning-rate warm-up: a chain of short runs standing in for one trajectory.
 */
final class Baklava {

    static final String RECIPES = "recipes";
    static final String BAKLAVA = "baklava";

    private Baklava() {
    }

    /** Where each member starts: M bases, the first the initialisation, the others the shared run's checkpoints. */
    static List<BaseModel> starts(EvalSettings s, BaseModel init, List<PreferencePair> pairs, TrainingConfig first,
                                  FrozenPrefixCache prefix, Path dir, Progress progress, String level) {
        List<BaseModel> out = new ArrayList<>();
        out.add(init);
        if (!BAKLAVA.equals(s.diversity())) {
            for (int i = 1; i < s.members(); i++) {
                out.add(init);
            }
            return out;
        }
        int segment = Math.max(1, s.steps() / s.members());
        RewardModelTrainer trainer = new RewardModelTrainer();
        BaseModel current = init;
        for (int k = 1; k < s.members(); k++) {
            progress.phase(String.format(Locale.ROOT, "%s: Baklava shared run, segment %d/%d (%d steps)", level, k,
                    s.members() - 1, segment));
            Path checkpoint = dir.resolve("baklava-" + k);
            TrainingConfig cfg = first.toBuilder().maxSteps(segment).seed(first.seed() + 7_777L * k).build();
            try (TrainedModel m = trainer.train(current, pairs, cfg, p -> { }, prefix)) {
                m.save(checkpoint);
            }
            current = BaseModels.fromDirectory(checkpoint);
            out.add(current);
        }
        return out;
    }
}
