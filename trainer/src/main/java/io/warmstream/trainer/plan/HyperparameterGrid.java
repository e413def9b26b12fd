package io.warmstream.trainer.plan;

import io.warmstream.events.Hyperparameters;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The diversity WARM draws per member: a learning rate and a dropout from small grids (paper: {1e-5, 4e-5, 1e-4}
 * and {0.05, 0.1}), everything else fixed. The draw is a function of the job's seed only, so a redone job trains
 * with the same hyperparameters.
 *
 * @param maxSteps caps the steps of a run (null: epochs decide); keeps ALL-data jobs from growing without bound
 * @param extra passed to the trainer as strings (e.g. {@code warmup_ratio})
 */
public record HyperparameterGrid(List<Double> learningRates, List<Double> dropouts, int batchSize,
                                 int maxSequenceLength, int trainableLayers, int epochs, Integer maxSteps,
                                 double weightDecay, double rewardCentering, Map<String, String> extra) {

    public HyperparameterGrid {
        learningRates = List.copyOf(learningRates);
        dropouts = List.copyOf(dropouts);
        extra = Map.copyOf(extra == null ? Map.of() : extra);
        if (learningRates.isEmpty() || dropouts.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one learning rate and one dropout");
        }
        for (double lr : learningRates) {
            if (!(lr > 0 && Double.isFinite(lr))) {
                throw new IllegalArgumentException("learning rates must be > 0, got " + lr);
            }
        }
        for (double d : dropouts) {
            if (!(d >= 0 && d < 1)) {
                throw new IllegalArgumentException("dropouts must be in [0, 1), got " + d);
            }
        }
        if (batchSize < 1 || maxSequenceLength < 4 || trainableLayers < -1 || epochs < 1
                || (maxSteps != null && maxSteps < 1) || weightDecay < 0 || rewardCentering < 0) {
            throw new IllegalArgumentException("bad fixed hyperparameters: batch " + batchSize + ", length "
                    + maxSequenceLength + ", layers " + trainableLayers + ", epochs " + epochs + ", max steps "
                    + maxSteps + ", weight decay " + weightDecay + ", centering " + rewardCentering);
        }
    }

    /**
     * The paper's grid with CPU-sized fixed knobs: batch 16 x 128 tokens, the top 2 encoder layers (plus pooler and
     * head) trained, one epoch capped at 48 steps (about 2 minutes for MiniLM on 2 cores).
     */
    public static HyperparameterGrid paperDefaults() {
        return new HyperparameterGrid(List.of(1e-5, 4e-5, 1e-4), List.of(0.05, 0.1), 16, 128, 2, 1, 48, 0.01, 0.0,
                Map.of());
    }

    /** The hyperparameters of the job with this seed. */
    public Hyperparameters draw(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double lr = learningRates.get(random.nextInt(learningRates.size()));
        double dropout = dropouts.get(random.nextInt(dropouts.size()));
        return Hyperparameters.newBuilder()
                .setLearningRate(lr)
                .setDropout(dropout)
                .setWeightDecay(weightDecay)
                .setBatchSize(batchSize)
                .setEpochs(epochs)
                .setMaxSteps(maxSteps)
                .setMaxSequenceLength(maxSequenceLength)
                .setTrainableLayers(trainableLayers)
                .setRewardCentering(rewardCentering)
                .setExtra(new java.util.TreeMap<>(extra))
                .build();
    }
}
