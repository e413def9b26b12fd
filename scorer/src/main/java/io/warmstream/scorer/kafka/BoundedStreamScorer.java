package io.warmstream.scorer.kafka;

import io.warmstream.scorer.batching.DeadlineExceededException;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.batching.QueueFullException;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.topology.RetriableScoringException;
import io.warmstream.scorer.topology.ScoreRequestTopology;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Scores one stream record through the shared {@link DynamicBatcher} within one deadline for everything: waiting
 * for room in a full queue and waiting for the reward. A stream thread blocks inside the open Kafka transaction of
 * its task; blocking past the transaction timeout would get the transaction aborted by the broker and the thread's
 * producer fenced. So past the deadline (well inside the transaction timeout, checked at start-up) the record is
 * given back: {@link RetriableScoringException} aborts the transaction and the request is scored again.
 */
final class BoundedStreamScorer implements ScoreRequestTopology.RecordScorer {

    private final DynamicBatcher batcher;
    private final Duration timeout;

    BoundedStreamScorer(DynamicBatcher batcher, Duration timeout) {
        this.batcher = batcher;
        this.timeout = timeout;
    }

    @Override
    public ScoreRequestTopology.ScoredItem score(String prompt, String response) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long backoff = 5;
        while (true) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                // The batcher drops the item when its deadline passes, so a record given back leaves no work behind.
                Scores s = batcher.submit(ScoreMode.WARM, Origin.STREAM, List.of(prompt), List.of(response),
                                Duration.ofNanos(left))
                        .get(left + TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.NANOSECONDS);
                return new ScoreRequestTopology.ScoredItem(s.average(), s.version(), s.rewards()[0]);
            } catch (QueueFullException e) {
                if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff) > deadline) {
                    throw new RetriableScoringException("the scoring queue stayed full for " + timeout
                            + " (warm.scorer.stream.score-timeout)", e);
                }
                Thread.sleep(backoff);
                backoff = Math.min(200, backoff * 2);
            } catch (TimeoutException e) {
                throw new RetriableScoringException("no reward within " + timeout + " (warm.scorer.stream.score-timeout)", e);
            } catch (IllegalStateException e) {
                throw new RetriableScoringException("the scorer is stopping", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof DeadlineExceededException) {
                    throw new RetriableScoringException("no reward within " + timeout
                            + " (warm.scorer.stream.score-timeout)", e.getCause());
                }
                if (e.getCause() instanceof IllegalStateException) {
                    throw new RetriableScoringException("the scorer is stopping", e.getCause());
                }
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }
}
