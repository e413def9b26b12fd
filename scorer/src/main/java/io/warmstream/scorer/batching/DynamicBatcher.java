package io.warmstream.scorer.batching;

import io.warmstream.scorer.batching.RequestQueue.Chunk;
import io.warmstream.scorer.serving.Ensemble;
import io.warmstream.scorer.serving.EnsembleStatus;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.serving.ServingEvents;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the items of concurrent requests into forward batches and runs them on a few model threads.
 *
 * <p>A request takes a {@link ModelLease} on the serving version when it is admitted, so all its items are scored
 * by that version even if a newer one is installed meanwhile; only items leased on the same version (and mode) share
 * a batch. Admission is bounded in padded tokens ({@link TokenCost}, {@link BatchSettings#tokenBudget()}), not
 * items: a request that does not fit now gets {@link QueueFullException} at once, one that could never fit
 * {@link RequestTooExpensiveException}. Requests take turns: every waiting request gets a share of the next batch
 * and a request with items left goes to the back, so a small request waits for about one batch, not for all the
 * items of the big requests admitted before it.
 *
 * <p>A request ends early when its future is cancelled (the HTTP client went away), when its deadline passes, or
 * when a batch of it fails: its items not yet handed to a model thread are dropped, never computed, and their tokens
 * return to the budget at once; a batch already running finishes and its result is discarded.
 *
 * <p>Longer than most classes because admission, fair turns and cancellation share one queue under one lock.
 */
public final class DynamicBatcher implements AutoCloseable {

    private final BatchSettings settings;
    private final HotSwappedModel hot;
    private final ServingEvents events;
    private final BatchObserver observer;
    private final Semaphore budget;
    private final RequestQueue queue;
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "warm-scorer-deadlines");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public DynamicBatcher(BatchSettings settings, HotSwappedModel hot, BatchObserver observer) {
        this.settings = settings;
        this.hot = hot;
        this.events = hot.events();
        this.observer = observer;
        this.budget = new Semaphore(settings.tokenBudget());
        this.queue = new RequestQueue(settings.maxBatch(), settings.maxWait().toNanos());
        deadlines.setRemoveOnCancelPolicy(true); // answered requests leave no timer behind
        for (int i = 0; i < settings.threads(); i++) {
            Thread t = new Thread(this::work, "warm-scorer-model-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    public BatchSettings settings() {
        return settings;
    }

    /** Padded tokens admitted and not yet scored (queued or in a running batch). */
    public int pendingTokens() {
        return settings.tokenBudget() - budget.availablePermits();
    }

    /** Items admitted and not yet handed to a model thread. */
    public int queuedItems() {
        return queue.queuedItems();
    }

    /** {@link #submit(ScoreMode, Origin, List, List, Duration)} with the settings' deadline. */
    public CompletableFuture<Scores> submit(ScoreMode mode, Origin origin, List<String> prompts, List<String> responses) {
        return submit(mode, origin, prompts, responses, settings.deadline());
    }

    /**
     * Queues the items for scoring by the serving version. The future completes with one reward per item (and the
     * spread in ENS mode), or exceptionally: the forward pass failed, or {@link DeadlineExceededException}.
     * Cancelling it drops the items not yet scored.
     *
     * @throws io.warmstream.scorer.serving.NoModelException no version is loaded yet
     * @throws EnsembleUnavailableException ENS asked for but not loaded for the serving version
     * @throws RequestTooExpensiveException the request costs more tokens than the whole budget
     * @throws QueueFullException the budget cannot take the request now
     */
    public CompletableFuture<Scores> submit(ScoreMode mode, Origin origin, List<String> prompts, List<String> responses,
                                            Duration deadline) {
        return submit(mode, origin, prompts, responses, deadline, null);
    }

    /**
     * As {@link #submit(ScoreMode, Origin, List, List, Duration)}, scored by the pinned {@code version} (null: the
     * serving one) if this scorer still holds it loaded.
     *
     * @throws io.warmstream.scorer.serving.VersionNotLoadedException the pinned version is not loaded here
     */
    public CompletableFuture<Scores> submit(ScoreMode mode, Origin origin, List<String> prompts, List<String> responses,
                                            Duration deadline, Long version) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one: got "
                    + prompts.size() + " and " + responses.size());
        }
        if (closed) {
            throw new IllegalStateException("the scorer is stopping");
        }
        int n = prompts.size();
        ModelLease lease = hot.leaseOrThrow(version);
        int tokensPerItem;
        try {
            int members = 1;
            if (mode == ScoreMode.ENS) {
                Ensemble e = lease.ensemble().orElse(null);
                if (e == null) {
                    EnsembleStatus s = lease.model().ensembleStatus();
                    throw new EnsembleUnavailableException(lease.version().version(), s.state(), s.error());
                }
                members = e.size();
            }
            int padded = Math.max(1, TokenCost.paddedLength(prompts, responses, lease.model().maxSequenceTokens()));
            long perItem = (long) padded * members;
            long cost = perItem * n;
            if (cost > settings.tokenBudget()) {
                observer.rejectedTooExpensive(n);
                throw new RequestTooExpensiveException(n, padded, members, cost, settings.tokenBudget());
            }
            if (!budget.tryAcquire((int) cost)) {
                observer.rejectedQueueFull(n);
                throw new QueueFullException(n, cost, settings.tokenBudget());
            }
            tokensPerItem = (int) perItem;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        PendingRequest req = new PendingRequest(lease, mode, origin, prompts, responses, tokensPerItem, System.nanoTime());
        queue.add(req);
        ScheduledFuture<?> timer = deadlines.schedule(
                () -> req.future.completeExceptionally(new DeadlineExceededException(deadline)),
                deadline.toNanos(), TimeUnit.NANOSECONDS);
        req.future.whenComplete((s, error) -> {
            timer.cancel(false);
            if (error != null) {
                withdraw(req, PendingRequest.reason(error));
            }
        });
        return req.future;
    }

    /** Drops the request's items not yet handed out: their tokens return to the budget, nothing computes them. */
    private void withdraw(PendingRequest req, String reason) {
        int dropped = queue.withdraw(req);
        if (dropped > 0) {
            budget.release(dropped * req.tokensPerItem);
        }
        observer.requestEnded(reason);
        if (dropped > 0) {
            observer.itemsDropped(reason, dropped);
        }
        if (queue.takeLeaseIfIdle(req)) {
            req.finish();
        }
    }

    private void work() {
        while (true) {
            List<Chunk> batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    private void run(List<Chunk> batch) {
        long start = System.nanoTime();
        List<Chunk> live = new ArrayList<>(batch.size());
        for (Chunk c : batch) {
            if (c.request().ended()) { // ended between take and now: not computed
                observer.itemsDropped(PendingRequest.reason(exceptionOf(c.request())), c.size());
                finished(c);
            } else {
                live.add(c);
                observer.queueWait(start - c.request().admittedNanos);
            }
        }
        if (live.isEmpty()) {
            return;
        }
        PendingRequest first = live.get(0).request();
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        for (Chunk c : live) {
            prompts.addAll(c.request().prompts.subList(c.from(), c.to()));
            responses.addAll(c.request().responses.subList(c.from(), c.to()));
            origins.addAll(Collections.nCopies(c.size(), c.request().origin));
        }
        float[] rewards;
        float[] std = null;
        try {
            if (first.mode == ScoreMode.ENS) {
                Ensemble e = first.lease.ensemble().orElseThrow(() -> new IllegalStateException("ensemble gone"));
                Ensemble.Scored s = e.score(prompts, responses);
                rewards = s.mean();
                std = s.std();
            } else {
                rewards = first.lease.score(prompts, responses);
            }
        } catch (RuntimeException | Error e) {
            observer.batchFailed(first.mode, e);
            for (Chunk c : live) {
                returnTokens(c); // before the answer, as for a scored chunk
                c.request().future.completeExceptionally(e);
                settle(c);
            }
            return;
        }
        long nanos = System.nanoTime() - start;
        int offset = 0;
        int requests = 0;
        for (Chunk c : live) {
            System.arraycopy(rewards, offset, c.request().rewards, c.from(), c.size());
            if (std != null) {
                System.arraycopy(std, offset, c.request().std, c.from(), c.size());
            }
            offset += c.size();
            if (c.from() == 0) {
                requests++;
            }
            finished(c);
        }
        observer.batchScored(first.mode, rewards.length, Math.max(1, requests), nanos);
        if (events.hasListeners()) {
            events.scored(new ScoredBatch(first.lease.version(), first.mode, List.copyOf(origins), List.copyOf(prompts),
                    List.copyOf(responses), rewards, std, Instant.now(), nanos));
        }
    }

    /** Tokens are returned before the answer, so a client that got its answer can be admitted again at once. */
    private void finished(Chunk c) {
        returnTokens(c);
        settle(c);
    }

    private void returnTokens(Chunk c) {
        budget.release(c.size() * c.request().tokensPerItem);
    }

    private void settle(Chunk c) {
        PendingRequest r = c.request();
        queue.finished(r, c.size());
        if (queue.takeLeaseIfIdle(r)) {
            r.finish();
        }
    }

    private static Throwable exceptionOf(PendingRequest r) {
        try {
            r.future.getNow(null);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Stops the model threads after their current batch; queued requests fail. */
    @Override
    public void close() {
        closed = true;
        List<PendingRequest> left = queue.close();
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (PendingRequest r : left) {
            r.future.completeExceptionally(new PendingRequest.StoppingException());
        }
        deadlines.shutdownNow();
    }
}
