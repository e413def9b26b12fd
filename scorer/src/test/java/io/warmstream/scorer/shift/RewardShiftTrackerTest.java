package io.warmstream.scorer.shift;

import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.RewardScale;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RewardShiftTrackerTest {

    static ModelVersion version(long n, RewardScale scale) {
        return new ModelVersion("avg", n, URI.create("file:///store/v" + n + "/"), "sha", "lineage", "UNIFORM", List.of(),
                0.7, 0.6, null, Instant.EPOCH, null, false, null, 0, scale);
    }

    static ScoredBatch batch(ModelVersion v, ScoreMode mode, float... rewards) {
        return new ScoredBatch(v, mode, List.of(), List.of(), List.of(), rewards, null, Instant.EPOCH, 0);
    }

    @Test
    void rawAndNormalisedFiguresPerVersionAcrossBatches() {
        RewardShiftTracker tracker = new RewardShiftTracker();
        ModelVersion v1 = version(1, null);
        ModelVersion v2 = version(2, new RewardScale(0.5, 2.0, 100, "ref@abc"));
        tracker.onBatchScored(batch(v1, ScoreMode.WARM, 1f, 3f));
        tracker.onBatchScored(batch(v2, ScoreMode.WARM, 1f, 2f));
        tracker.onBatchScored(batch(v2, ScoreMode.WARM, 3f, 6f));
        tracker.onBatchScored(batch(v2, ScoreMode.ENS, 100f)); // another function: not counted

        RewardShiftTracker.Traffic one = tracker.of(1).orElseThrow();
        assertEquals(2, one.items());
        assertEquals(2.0, one.rawMean(), 1e-12);
        assertEquals(1.0, one.rawStd(), 1e-12);
        assertNull(one.normalizedMean(), "v1 has no reward scale");

        RewardShiftTracker.Traffic two = tracker.of(2).orElseThrow();
        assertEquals(4, two.items());
        assertEquals(3.0, two.rawMean(), 1e-12);
        double std = Math.sqrt(((1 - 3.0) * (1 - 3.0) + 1 + 0 + 9) / 4.0);
        assertEquals(std, two.rawStd(), 1e-12);
        assertEquals((3.0 - 0.5) / 2.0, two.normalizedMean(), 1e-12);
        assertEquals(std / 2.0, two.normalizedStd(), 1e-12);
        assertTrue(tracker.of(3).isEmpty());
    }

    @Test
    void onlyTheNewestVersionsAreKept() {
        RewardShiftTracker tracker = new RewardShiftTracker();
        for (long v = 1; v <= RewardShiftTracker.KEEP + 5; v++) {
            tracker.onBatchScored(batch(version(v, null), ScoreMode.WARM, 1f));
        }
        assertTrue(tracker.of(5).isEmpty());
        assertTrue(tracker.of(6).isPresent());
        assertTrue(tracker.of(RewardShiftTracker.KEEP + 5).isPresent());
    }
}
