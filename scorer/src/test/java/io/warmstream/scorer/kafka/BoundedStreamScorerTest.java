package io.warmstream.scorer.kafka;

import io.warmstream.scorer.batching.BatchObserver;
import io.warmstream.scorer.batching.BatchSettings;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.FakeModels;
import io.warmstream.scorer.serving.FakeModels.Fake;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.topology.RetriableScoringException;
import io.warmstream.scorer.topology.ScoreRequestTopology;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream record never blocks its task's transaction longer than the score timeout: a forward pass slower than
 * that gives the record back ({@link RetriableScoringException}, the transaction aborts, the request is scored again)
 * instead of holding the transaction open past the broker's transaction timeout.
 */
class BoundedStreamScorerTest {

    private final HotSwappedModel hot = new HotSwappedModel("default");
    private DynamicBatcher batcher;

    @AfterEach
    void stop() {
        if (batcher != null) batcher.close();
        hot.close();
    }

    @Test
    void aRecordWhoseRewardTakesLongerThanTheTimeoutIsGivenBackInTime() {
        hot.install(FakeModels.serving(1, Fake.offset(0, 3_000))); // a forward pass of 3 s
        batcher = new DynamicBatcher(new BatchSettings(8, Duration.ZERO, 100_000, 1, Duration.ofSeconds(30)), hot, BatchObserver.NONE);
        BoundedStreamScorer scorer = new BoundedStreamScorer(batcher, Duration.ofMillis(500));
        long start = System.nanoTime();
        RetriableScoringException e = assertThrows(RetriableScoringException.class, () -> scorer.score("p", "r"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis >= 450 && millis < 1_500, "gave up after " + millis + " ms");
        assertTrue(e.getMessage().contains("warm.scorer.stream.score-timeout"), e.getMessage());
    }

    @Test
    void aRecordScoredInTimeGetsItsRewardAndVersion() throws Exception {
        hot.install(FakeModels.serving(7, Fake.offset(0.25, 0)));
        batcher = new DynamicBatcher(new BatchSettings(8, Duration.ZERO, 100_000, 1, Duration.ofSeconds(30)), hot, BatchObserver.NONE);
        ScoreRequestTopology.ScoredItem item = new BoundedStreamScorer(batcher, Duration.ofSeconds(5)).score("p", "r");
        assertEquals(7, item.version());
        assertEquals("default", item.average());
    }
}
