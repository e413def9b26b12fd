package io.warmstream.scorer.drift;

import io.micronaut.context.annotation.Requires;
import io.warmstream.events.DriftObservation;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * Every forward batch of traffic (HTTP and stream) becomes one observation holding its rewards. ENS batches are left
 * out: their rewards are the members' mean, not the WARM model's, and would blur the version's distribution.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = DriftConfig.ENABLED, notEquals = "false")
public final class TrafficObserver implements ServingListener {

    private final ObservationPublisher publisher;

    public TrafficObserver(ObservationPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onBatchScored(ScoredBatch batch) {
        if (batch.mode() != ScoreMode.WARM || batch.size() == 0) {
            return;
        }
        List<Double> rewards = new ArrayList<>(batch.size());
        for (float r : batch.rewards()) {
            rewards.add((double) r);
        }
        publisher.publish(DriftObservation.newBuilder()
                .setAverage(batch.version().average())
                .setModelVersion(batch.version().version())
                .setObservedAt(batch.scoredAt())
                .setRewards(rewards)
                .setReferenceRewards(List.of())
                .build());
    }
}
