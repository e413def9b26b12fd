package io.warmstream.model.train;

import io.warmstream.model.RewardModel;
import java.nio.file.Path;
import java.util.Map;

/**
 * A freshly trained reward model and the facts of its run (hyperparameters, base, steps, throughput, final loss),
 * which {@link #save(Path)} writes into {@code warmstream.json}. Close it to free the model.
 */
public record TrainedModel(RewardModel model, Map<String, Object> facts) implements AutoCloseable {

    public TrainedModel {
        facts = Map.copyOf(facts);
    }

    public void save(Path dir) {
        model.save(dir, facts);
    }

    @Override
    public void close() {
        model.close();
    }
}
