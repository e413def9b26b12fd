package io.warmstream.trainer.work;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.TrainingJob;
import io.warmstream.model.Compute;
import io.warmstream.model.train.TrainingConfig;

import java.util.Map;

/** A job's hyperparameters as a training config; bad ones fail the job ({@link JobFailure}), never the worker. */
final class TrainingConfigs {

    private TrainingConfigs() {
    }

    /** Steps = epochs over the data, capped by maxSteps. */
    static TrainingConfig of(TrainingJob job, int trainPairs, Compute compute) {
        Hyperparameters hp = job.getHyperparameters();
        try {
            int batch = hp.getBatchSize();
            int steps = hp.getEpochs() * ((trainPairs + batch - 1) / batch);
            if (hp.getMaxSteps() != null) {
                steps = Math.min(steps, hp.getMaxSteps());
            }
            TrainingConfig.Builder b = TrainingConfig.builder().seed(job.getSeed()).learningRate(hp.getLearningRate())
                    .dropout(hp.getDropout()).weightDecay(hp.getWeightDecay()).batchSize(batch)
                    .maxLength(hp.getMaxSequenceLength()).trainableTopLayers(hp.getTrainableLayers())
                    .epochs(hp.getEpochs()).maxSteps(Math.max(1, steps)).rewardCenteringWeight(hp.getRewardCentering())
                    .compute(compute);
            Map<String, String> extra = hp.getExtra();
            if (extra.containsKey("warmup_ratio")) {
                b.warmupRatio(Double.parseDouble(extra.get("warmup_ratio")));
            }
            if (extra.containsKey("max_grad_norm")) {
                b.maxGradNorm(Double.parseDouble(extra.get("max_grad_norm")));
            }
            if (extra.containsKey("probe_l2")) {
                b.probeL2(Double.parseDouble(extra.get("probe_l2")));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new JobFailure("bad hyperparameters: " + e.getMessage(), e);
        }
    }
}
