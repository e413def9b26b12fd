package io.warmstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.Evaluation;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.RewardModel;
import io.warmstream.model.ToyPreferences;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RewardModelTrainerTest {

    private static final List<PreferencePair> TRAIN = ToyPreferences.generate(256, 1);
    private static final List<PreferencePair> HELD_OUT = ToyPreferences.generate(128, 2);

    @Test
    void learnsASeparableToyTask() {
        BaseModel base = BaseModels.tiny(7);
        TrainingConfig cfg = TrainingConfig.builder().seed(3).learningRate(5e-3).batchSize(16).epochs(2)
                .maxLength(32).compute(Compute.cpu()).build();
        List<TrainingProgress> progress = new ArrayList<>();
        Evaluation before;
        try (RewardModel untrained = RewardModel.create(base, Compute.cpu())) {
            before = untrained.evaluate(HELD_OUT);
        }
        try (TrainedModel trained = new RewardModelTrainer().train(base, TRAIN, cfg, progress::add)) {
            Evaluation after = trained.model().evaluate(HELD_OUT);
            System.out.println("before " + before + " after " + after + " facts " + trained.facts());
            assertTrue(after.accuracy() > 0.9, "held-out accuracy " + after.accuracy());
            assertTrue(after.meanLoss() < before.meanLoss(), "loss did not drop");
        }
        assertEquals(32, progress.size());
        assertEquals(32, progress.get(31).step());
        assertEquals(32, progress.get(31).totalSteps());
        assertTrue(progress.get(31).pairsPerSecond() > 0);
    }
}
