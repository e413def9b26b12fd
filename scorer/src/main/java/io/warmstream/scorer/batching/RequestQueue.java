package io.warmstream.scorer.batching;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The admitted requests with items not yet handed to a model thread, and the rule for the next batch: every waiting
 * request of the head's version and mode gets a fair share (at least one item), then the batch fills up in queue
 * order, and a request with items left goes to the back. So requests take turns and a new small request rides in
 * the next batch instead of waiting behind all the items of a big one. Also keeps each request's progress
 * ({@code next}, {@code running}) under its lock.
 */
final class RequestQueue {

    /** Items {@code [from, to)} of one request, handed to a model thread. */
    record Chunk(PendingRequest request, int from, int to) {
        int size() {
            return to - from;
        }
    }

    private final int maxBatch;
    private final long maxWaitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
    private boolean closed;

    RequestQueue(int maxBatch, long maxWaitNanos) {
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWaitNanos;
    }

    void add(PendingRequest r) {
        lock.lock();
        try {
            queue.addLast(r);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Items admitted and not yet handed out. */
    int queuedItems() {
        lock.lock();
        try {
            return queue.stream().mapToInt(PendingRequest::unstarted).sum();
        } finally {
            lock.unlock();
        }
    }

    /** The next batch, once it is full or its oldest request has waited maxWait; null once closed. */
    List<Chunk> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    return null;
                }
                PendingRequest head = queue.peekFirst();
                if (head == null) {
                    changed.await();
                    continue;
                }
                long wait = head.admittedNanos + maxWaitNanos - System.nanoTime();
                if (wait > 0 && compatibleItems(head) < maxBatch) {
                    changed.awaitNanos(wait);
                    continue;
                }
                return removeBatch(head);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Stops handing out items and drops the request's unstarted ones; returns how many were dropped. */
    int withdraw(PendingRequest r) {
        lock.lock();
        try {
            int dropped = r.unstarted();
            if (dropped > 0) {
                r.next = r.size();
                queue.remove(r);
            }
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Records that {@code items} of the request finished (or were skipped). */
    void finished(PendingRequest r, int items) {
        lock.lock();
        try {
            r.running -= items;
        } finally {
            lock.unlock();
        }
    }

    /** True exactly once per request: when nothing of it is left to hand out or running. */
    boolean takeLeaseIfIdle(PendingRequest r) {
        lock.lock();
        try {
            return r.takeLeaseIfIdle();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the model threads to stop; returns the requests still waiting. */
    List<PendingRequest> close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            return new ArrayList<>(queue);
        } finally {
            lock.unlock();
        }
    }

    private int compatibleItems(PendingRequest head) {
        int items = 0;
        for (PendingRequest r : queue) {
            if (r.sameBatchAs(head)) {
                items += r.unstarted();
                if (items >= maxBatch) {
                    break;
                }
            }
        }
        return items;
    }

    private List<Chunk> removeBatch(PendingRequest head) {
        List<PendingRequest> compatible = new ArrayList<>();
        for (PendingRequest r : queue) {
            if (r.sameBatchAs(head) && compatible.size() < maxBatch) {
                compatible.add(r);
            }
        }
        int share = Math.max(1, maxBatch / compatible.size());
        int[] take = new int[compatible.size()];
        int items = 0;
        for (int i = 0; i < take.length; i++) {
            take[i] = Math.min(share, Math.min(compatible.get(i).unstarted(), maxBatch - items));
            items += take[i];
        }
        for (int i = 0; i < take.length && items < maxBatch; i++) {
            int more = Math.min(compatible.get(i).unstarted() - take[i], maxBatch - items);
            take[i] += more;
            items += more;
        }
        List<Chunk> batch = new ArrayList<>();
        for (int i = 0; i < take.length; i++) {
            PendingRequest r = compatible.get(i);
            if (take[i] == 0) {
                continue;
            }
            batch.add(new Chunk(r, r.next, r.next + take[i]));
            r.next += take[i];
            r.running += take[i];
            queue.remove(r);
            if (r.unstarted() > 0) {
                queue.addLast(r);
            }
        }
        return batch;
    }
}
