package io.warmstream.scorer.freshness;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.ModelVersion;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreshnessTrackerTest {

    @Test
    void measuresLabelAgeAndLatenciesAtServeTimeFromTheVersionsTimes() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FreshnessTracker tracker = new FreshnessTracker(registry);
        ModelVersion base = FakeModels.version(3);
        Instant published = base.publishedAt();
        ModelVersion v = new ModelVersion(base.average(), 3, base.uri(), base.sha256(), base.lineage(), base.strategy(),
                base.members(), 0.7, 0.65, null, published, 0.02, false,
                new ModelVersion.Freshness(published.minusSeconds(95), published.minusMillis(1_500), 12_000L, 61_000L));
        FreshnessTracker.Served s = tracker.record(v, published.plusMillis(800));
        assertEquals(95_800L, s.newestLabelAgeMs());
        assertEquals(2_300L, s.checkpointToServedMs());
        assertEquals(800L, s.publishedToServedMs());
        assertEquals(12_000L, s.queueMs());
        assertEquals(61_000L, s.trainingMs());
        assertEquals(s, tracker.of(3).orElseThrow());
        assertEquals(95.8, registry.get("warm.scorer.freshness.label.age").timer().max(TimeUnit.SECONDS), 1e-9);
        assertEquals(1, registry.get("warm.scorer.freshness.checkpoint.to.served").timer().count());
    }

    @Test
    void aVersionWithoutTimesIsServedWithoutFreshnessFigures() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FreshnessTracker tracker = new FreshnessTracker(registry);
        ModelVersion v = FakeModels.version(4);
        FreshnessTracker.Served s = tracker.record(v, v.publishedAt().plusSeconds(2));
        assertNull(s.newestLabelAgeMs());
        assertNull(s.checkpointToServedMs());
        assertEquals(2_000L, s.publishedToServedMs());
        assertEquals(0, registry.get("warm.scorer.freshness.label.age").timer().count());
        assertTrue(tracker.of(5).isEmpty());
    }
}
