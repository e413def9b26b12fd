package io.warmstream.trainer;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hand-made jobs for worker tests, as a planner would write them, for the tiny encoder. */
public final class Jobs {

    private Jobs() {
    }

    public static TrainingJob.Builder tiny(String jobId, List<OffsetRange> ranges, int maxSteps) {
        long count = ranges.stream().mapToLong(r -> r.getEndOffset() - r.getStartOffset()).sum();
        return TrainingJob.newBuilder()
                .setJobId(jobId)
                .setAverage("default")
                .setCreatedAt(Instant.now())
                .setRanges(ranges)
                .setLabelCount(count)
                .setDataSelection("ALL")
                .setValidationFraction(0.2)
                .setValidationSalt("kit")
                .setBaseModel("tiny:7")
                .setInitCheckpoint(null)
                .setSharedHead(null)
                .setSharedHeadRanges(List.of())
                .setSeed(jobId.hashCode())
                .setHyperparameters(Hyperparameters.newBuilder()
                        .setLearningRate(2e-3).setDropout(0.1).setWeightDecay(0.01).setBatchSize(16).setEpochs(50)
                        .setMaxSteps(maxSteps).setMaxSequenceLength(32).setTrainableLayers(-1).setRewardCentering(0)
                        .setExtra(Map.of()).build());
    }
}
