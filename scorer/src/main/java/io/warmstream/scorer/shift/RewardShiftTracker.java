package io.warmstream.scorer.shift;

import io.micronaut.context.annotation.Requires;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.serving.RewardScale;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.ServingListener;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The rewards each version gave the traffic it scored (WARM mode), raw and on its own reward scale, so a swap's
 * shift shows twice: in raw rewards, which move with every new average, and in normalised rewards, which an RL
 * service sees when it asks for them and which should barely move. Welford's running mean and variance per version;
 * the normalised figures follow from the raw ones, since normalising is linear.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class RewardShiftTracker implements ServingListener {

    /** Traffic figures of one version; the normalised ones are null when the version carries no reward scale. */
    public record Traffic(long items, double rawMean, double rawStd, Double normalizedMean, Double normalizedStd) {
    }

    /** Versions whose figures are kept, newest last (like the freshness figures). */
    static final int KEEP = 64;

    private static final class Running {
        final RewardScale scale;
        long n;
        double mean;
        double m2;

        Running(RewardScale scale) {
            this.scale = scale;
        }

        void add(double x) {
            n++;
            double d = x - mean;
            mean += d / n;
            m2 += d * (x - mean);
        }

        Traffic figures() {
            double std = n > 0 ? Math.sqrt(m2 / n) : 0;
            return scale == null ? new Traffic(n, mean, std, null, null)
                    : new Traffic(n, mean, std, scale.normalize(mean), std / scale.std());
        }
    }

    private final Map<Long, Running> byVersion = new LinkedHashMap<>();

    @Override
    public void onBatchScored(ScoredBatch batch) {
        if (batch.mode() != ScoreMode.WARM || batch.size() == 0) {
            return; // ENS rewards are the members' mean: another function than the version's average
        }
        synchronized (byVersion) {
            Running r = byVersion.computeIfAbsent(batch.version().version(), v -> new Running(batch.version().scale()));
            for (float reward : batch.rewards()) {
                r.add(reward);
            }
            while (byVersion.size() > KEEP) {
                byVersion.remove(byVersion.keySet().iterator().next());
            }
        }
    }

    public Optional<Traffic> of(long version) {
        synchronized (byVersion) {
            Running r = byVersion.get(version);
            return r == null ? Optional.empty() : Optional.of(r.figures());
        }
    }
}
