package io.warmstream.scorer.drift.observe;

import io.warmstream.events.DriftObservation;
import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.ModelVersion;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.testkit.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traffic rewards are coalesced per version and window, and none is lost or held past the flush. */
class TrafficObserverTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z"); // a window start for 60 s windows
    private final List<DriftObservation> sent = Collections.synchronizedList(new ArrayList<>());

    private static ScoredBatch batch(ModelVersion v, ScoreMode mode, Instant at, float... rewards) {
        return new ScoredBatch(v, mode, List.of(), List.of(), List.of(), rewards, null, at, 1);
    }

    private static List<Double> rewards(DriftObservation o) {
        return o.getRewards();
    }

    @Test
    void batchesOfOneVersionAndWindowGoOutTogetherAndWindowOrVersionChangesSplitThem() {
        TrafficObserver observer = new TrafficObserver(sent::add, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofHours(4));
        ModelVersion v1 = FakeModels.version(1), v2 = FakeModels.version(2);
        observer.onBatchScored(batch(v1, ScoreMode.WARM, T0.plusSeconds(1), 1f, 2f));
        observer.onBatchScored(batch(v1, ScoreMode.WARM, T0.plusSeconds(2), 3f));
        observer.onBatchScored(batch(v1, ScoreMode.ENS, T0.plusSeconds(3), 99f)); // ENS is not the WARM model's traffic
        assertEquals(0, sent.size(), "held until the flush, a window change or a version change");
        observer.onBatchScored(batch(v1, ScoreMode.WARM, T0.plusSeconds(61), 4f)); // next window
        assertEquals(1, sent.size());
        assertEquals(List.of(1.0, 2.0, 3.0), rewards(sent.get(0)));
        assertEquals(T0.plusSeconds(2), sent.get(0).getObservedAt());
        assertEquals(1L, sent.get(0).getModelVersion());
        observer.onBatchScored(batch(v2, ScoreMode.WARM, T0.plusSeconds(62), 5f)); // new version
        assertEquals(2, sent.size());
        assertEquals(List.of(4.0), rewards(sent.get(1)));
        observer.close(); // what is held goes out
        assertEquals(3, sent.size());
        assertEquals(List.of(5.0), rewards(sent.get(2)));
        assertEquals(2L, sent.get(2).getModelVersion());
    }

    @Test
    void heldRewardsGoOutAfterTheFlushIntervalWithoutMoreTraffic() throws Exception {
        TrafficObserver observer = new TrafficObserver(sent::add, Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(5));
        observer.onBatchScored(batch(FakeModels.version(1), ScoreMode.WARM, T0, 7f));
        Await.until("the held rewards sent", Duration.ofSeconds(10), Duration.ofMillis(20), () -> !sent.isEmpty());
        assertEquals(1, sent.size());
        assertEquals(List.of(7.0), rewards(sent.get(0)));
        observer.close();
        assertEquals(1, sent.size(), "nothing left to send");
    }

    @Test
    void aFullBufferAndAZeroGraceSendAtOnce() {
        TrafficObserver big = new TrafficObserver(sent::add, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofHours(4));
        float[] many = new float[TrafficObserver.MAX_REWARDS];
        big.onBatchScored(batch(FakeModels.version(1), ScoreMode.WARM, T0, many));
        assertEquals(1, sent.size());
        assertEquals(TrafficObserver.MAX_REWARDS, rewards(sent.get(0)).size());
        big.close();

        TrafficObserver immediate = new TrafficObserver(sent::add, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ZERO);
        immediate.onBatchScored(batch(FakeModels.version(1), ScoreMode.WARM, T0, 1f));
        assertEquals(2, sent.size(), "no grace: held rewards would be late, so none is held");
        immediate.close();
        assertTrue(sent.stream().allMatch(o -> o.getReferenceRewards().isEmpty()));
    }
}
