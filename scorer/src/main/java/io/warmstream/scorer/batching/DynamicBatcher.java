package io.warmstream.scorer.batching;

import io.warmstream.scorer.serving.Ensemble;
import io.warmstream.scorer.serving.EnsembleStatus;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelLease;
import io.warmstream.scorer.serving.Origin;
import io.warmstream.scorer.serving.ScoreMode;
import io.warmstream.scorer.serving.ScoredBatch;
import io.warmstream.scorer.serving.Scores;
import io.warmstream.scorer.serving.ServingEvents;
import io.warmstream.scorer.serving.ServingModel;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the items of concurrent requests into forward batches and runs them on a few model threads.
 *
 * <p>A request takes a {@link ModelLease} on the serving version when it is admitted, so all its items are scored
 * by that version even if a newer one is installed meanwhile; only items leased on the same version (and mode) share
 * a batch. Admission is bounded in items ({@link BatchSettings#queueCapacity()}): beyond it {@link #submit} throws
 * {@link QueueFullException} at once rather than queueing, so neither memory nor latency grows without bound.
 * Requests larger than a batch are split; their parts may run on different model threads.
 */
public final class DynamicBatcher implements AutoCloseable {

    private final BatchSettings settings;
    private final HotSwappedModel hot;
    private final ServingEvents events;
    private final BatchObserver observer;
    private final Semaphore capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Chunk> queue = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long maxWaitNanos;
    private volatile boolean closed;

    public DynamicBatcher(BatchSettings settings, HotSwappedModel hot, BatchObserver observer) {
        this.settings = settings;
        this.hot = hot;
        this.events = hot.events();
        this.observer = observer;
        this.capacity = new Semaphore(settings.queueCapacity());
        this.maxWaitNanos = settings.maxWait().toNanos();
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

    /** Items admitted and not yet scored (queued or in a running batch). */
    public int pendingItems() {
        return settings.queueCapacity() - capacity.availablePermits();
    }

    /**
     * Queues the items for scoring by the serving version. The future completes with one reward per item (and the
     * spread in ENS mode), or exceptionally if the forward pass fails.
     *
     * @throws io.warmstream.scorer.serving.NoModelException no version is loaded yet
     * @throws EnsembleUnavailableException ENS asked for but not loaded for the serving version
     * @throws QueueFullException the queue cannot take this many items now
     */
    public CompletableFuture<Scores> submit(ScoreMode mode, Origin origin, List<String> prompts, List<String> responses) {
        if (prompts.size() != responses.size() || prompts.isEmpty()) {
            throw new IllegalArgumentException("need as many prompts as responses, at least one: got "
                    + prompts.size() + " and " + responses.size());
        }
        if (closed) {
            throw new IllegalStateException("the scorer is stopping");
        }
        int n = prompts.size();
        ModelLease lease = hot.leaseOrThrow();
        try {
            if (mode == ScoreMode.ENS && lease.ensemble().isEmpty()) {
                EnsembleStatus s = lease.model().ensembleStatus();
                throw new EnsembleUnavailableException(lease.version().version(), s.state(), s.error());
            }
            if (!capacity.tryAcquire(n)) {
                observer.rejectedQueueFull(n);
                throw new QueueFullException(n, settings.queueCapacity());
            }
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        Request req = new Request(lease, mode, origin, prompts, responses);
        req.chunks.set((n + settings.maxBatch() - 1) / settings.maxBatch());
        long now = System.nanoTime();
        lock.lock();
        try {
            for (int from = 0; from < n; from += settings.maxBatch()) {
                queue.addLast(new Chunk(req, from, Math.min(n, from + settings.maxBatch()), now));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return req.future;
    }

    private void work() {
        while (true) {
            List<Chunk> batch;
            try {
                batch = take();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    /** The next batch: chunks of one version and mode, once it is full or its oldest item has waited maxWait. */
    private List<Chunk> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                Chunk head = queue.peekFirst();
                if (head == null) {
                    changed.await();
                    continue;
                }
                long wait = head.enqueuedNanos + maxWaitNanos - System.nanoTime();
                if (wait > 0 && compatibleItems(head) < settings.maxBatch()) {
                    changed.awaitNanos(wait);
                    continue;
                }
                return removeBatch(head);
            }
        } finally {
            lock.unlock();
        }
    }

    private int compatibleItems(Chunk head) {
        int items = 0;
        for (Chunk c : queue) {
            if (c.request.sameBatchAs(head.request)) {
                items += c.size();
                if (items >= settings.maxBatch()) {
                    break;
                }
            }
        }
        return items;
    }

    private List<Chunk> removeBatch(Chunk head) {
        List<Chunk> batch = new ArrayList<>();
        int items = 0;
        for (Iterator<Chunk> it = queue.iterator(); it.hasNext(); ) {
            Chunk c = it.next();
            if (c.request.sameBatchAs(head.request) && items + c.size() <= settings.maxBatch()) {
                batch.add(c);
                items += c.size();
                it.remove();
                if (items == settings.maxBatch()) {
                    break;
                }
            }
        }
        return batch;
    }

    private void run(List<Chunk> batch) {
        Request first = batch.get(0).request;
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        List<Origin> origins = new ArrayList<>();
        long start = System.nanoTime();
        for (Chunk c : batch) {
            prompts.addAll(c.request.prompts.subList(c.from, c.to));
            responses.addAll(c.request.responses.subList(c.from, c.to));
            origins.addAll(Collections.nCopies(c.size(), c.request.origin));
            observer.queueWait(start - c.enqueuedNanos);
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
            for (Chunk c : batch) {
                failed(c, e);
            }
            return;
        }
        long nanos = System.nanoTime() - start;
        int offset = 0;
        int requests = 0;
        for (Chunk c : batch) {
            System.arraycopy(rewards, offset, c.request.rewards, c.from, c.size());
            if (std != null) {
                System.arraycopy(std, offset, c.request.std, c.from, c.size());
            }
            offset += c.size();
            if (c.from == 0) {
                requests++;
            }
            done(c);
        }
        observer.batchScored(first.mode, rewards.length, Math.max(1, requests), nanos);
        if (events.hasListeners()) {
            events.scored(new ScoredBatch(first.lease.version(), first.mode, List.copyOf(origins), List.copyOf(prompts),
                    List.copyOf(responses), rewards, std, Instant.now(), nanos));
        }
    }

    /** Capacity is returned before the answer, so a client that got its answer can be admitted again at once. */
    private void done(Chunk c) {
        capacity.release(c.size());
        c.request.chunkDone();
    }

    private void failed(Chunk c, Throwable error) {
        capacity.release(c.size());
        c.request.fail(error);
        c.request.chunkDone();
    }

    /** Stops the model threads after their current batch; queued requests fail. */
    @Override
    public void close() {
        List<Chunk> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        IllegalStateException stopping = new IllegalStateException("the scorer stopped before this request was scored");
        for (Chunk c : left) {
            failed(c, stopping);
        }
    }

    private record Chunk(Request request, int from, int to, long enqueuedNanos) {
        int size() {
            return to - from;
        }
    }

    private static final class Request {
        final ModelLease lease;
        final ServingModel model;
        final ScoreMode mode;
        final Origin origin;
        final List<String> prompts;
        final List<String> responses;
        final float[] rewards;
        final float[] std;
        final AtomicInteger chunks = new AtomicInteger();
        final CompletableFuture<Scores> future = new CompletableFuture<>();

        Request(ModelLease lease, ScoreMode mode, Origin origin, List<String> prompts, List<String> responses) {
            this.lease = lease;
            this.model = lease.model();
            this.mode = mode;
            this.origin = origin;
            this.prompts = prompts;
            this.responses = responses;
            this.rewards = new float[prompts.size()];
            this.std = mode == ScoreMode.ENS ? new float[prompts.size()] : null;
        }

        boolean sameBatchAs(Request other) {
            return model == other.model && mode == other.mode;
        }

        void fail(Throwable t) {
            future.completeExceptionally(t);
        }

        /** After the last part: release the version, then answer (a failed part has answered already). */
        void chunkDone() {
            if (chunks.decrementAndGet() == 0) {
                int members = mode == ScoreMode.ENS ? lease.ensemble().map(Ensemble::size).orElse(0) : 0;
                Scores s = new Scores(lease.version().average(), lease.version().version(), mode, rewards, std, members);
                lease.close();
                future.complete(s);
            }
        }
    }
}
