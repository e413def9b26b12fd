package io.warmstream.local.feed;

import io.warmstream.eval.world.Candidate;
import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.Split;
import io.warmstream.eval.world.Task;
import io.warmstream.local.client.ScorerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated RL service: every few seconds it asks the scorer to rank a handful of candidate summaries for a fresh
 * post, as best-of-N sampling would. Some posts come from the out-of-distribution split, so the scorer's drift
 * reports have shifted traffic to show. Until a first WARM version serves, the scorer answers 503 and the round is
 * skipped.
 */
public final class ScoringTraffic implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScoringTraffic.class);

    private final PreferenceWorld world;
    private final ScorerClient scorer;
    private final int candidates;
    private final Duration every;
    private final double oodShare;
    private final FeedThread thread;
    private final AtomicLong scored = new AtomicLong();

    public ScoringTraffic(PreferenceWorld world, ScorerClient scorer, int candidates, Duration every, double oodShare) {
        this.world = world;
        this.scorer = scorer;
        this.candidates = candidates;
        this.every = every;
        this.oodShare = oodShare;
        this.thread = new FeedThread("warm-scoring-traffic", this::run);
    }

    public void start() {
        thread.start();
    }

    /** Responses scored so far. */
    public long scored() {
        return scored.get();
    }

    private void run() {
        long round = 0;
        while (!thread.stopping()) {
            // Every round is a fresh post: ids past any label index the feed will reach in a demo's lifetime.
            boolean ood = (round % 100) < oodShare * 100;
            Task task = world.task(ood ? Split.OOD : Split.VALIDATION_ID, round);
            List<ScorerClient.Pair> pairs = new ArrayList<>(candidates);
            for (Candidate c : world.candidates(task, candidates, round)) {
                pairs.add(new ScorerClient.Pair(task.prompt(), c.text()));
            }
            try {
                scored.addAndGet(scorer.score(pairs).size());
            } catch (ConnectException e) {
                LOG.debug("scorer not reachable yet: {}", e.toString());
            } catch (IOException e) {
                // 503 until the first version serves; anything else is worth a line in the log.
                LOG.debug("scoring round {} skipped: {}", round, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("scoring round {} failed", round, e);
            }
            round++;
            if (!thread.pause(TimeUnit.MILLISECONDS.toNanos(every.toMillis()))) {
                return;
            }
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
