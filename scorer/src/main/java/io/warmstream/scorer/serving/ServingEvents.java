package io.warmstream.scorer.serving;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Delivers serving events to {@link ServingListener}s: swaps and load failures synchronously on the caller's thread,
 * scored batches through a bounded queue on one daemon thread (dropped and counted when full, so slow listeners
 * never slow scoring). Listeners come from {@link #add} and from an optional supplier resolved on the first event,
 * which lets a dependency-injection container hand over listener beans that themselves depend on the model.
 */
public final class ServingEvents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingEvents.class);

    private final List<ServingListener> listeners = new CopyOnWriteArrayList<>();
    private final Supplier<List<ServingListener>> discovered;
    private final BlockingQueue<ScoredBatch> batches;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread dispatcher;
    private volatile boolean discoveredAdded;
    private volatile boolean closed;

    /** @param discovered listeners found later (e.g. container beans), or null; @param queueCapacity batches buffered */
    public ServingEvents(Supplier<List<ServingListener>> discovered, int queueCapacity) {
        this.discovered = discovered;
        this.batches = new ArrayBlockingQueue<>(Math.max(1, queueCapacity));
        this.dispatcher = new Thread(this::dispatchBatches, "warm-scorer-listeners");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    public ServingEvents() {
        this(null, 1024);
    }

    public void add(ServingListener listener) {
        ((CopyOnWriteArrayList<ServingListener>) listeners).addIfAbsent(listener);
    }

    public void remove(ServingListener listener) {
        listeners.remove(listener);
    }

    /** Scored batches not delivered because listeners fell behind. */
    public long droppedBatches() {
        return dropped.get();
    }

    /** Whether anyone listens at all (lets the batcher skip building events). */
    public boolean hasListeners() {
        return !listeners().isEmpty();
    }

    void swapped(ModelSwap swap) {
        for (ServingListener l : listeners()) {
            try {
                l.onSwap(swap);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on swap to v{}", l, swap.installed().version().version(), e);
            }
        }
    }

    void loadFailed(LoadFailure failure) {
        for (ServingListener l : listeners()) {
            try {
                l.onLoadFailed(failure);
            } catch (RuntimeException e) {
                LOG.warn("listener {} failed on a load failure", l, e);
            }
        }
    }

    /** Queues a batch for the listeners; never blocks. */
    public void scored(ScoredBatch batch) {
        if (closed || !batches.offer(batch)) {
            dropped.incrementAndGet();
        }
    }

    private List<ServingListener> listeners() {
        if (!discoveredAdded && discovered != null) {
            synchronized (this) {
                if (!discoveredAdded) {
                    discoveredAdded = true;
                    List<ServingListener> found = new ArrayList<>(discovered.get());
                    found.removeAll(listeners);
                    listeners.addAll(found);
                }
            }
        }
        return listeners;
    }

    private void dispatchBatches() {
        while (!closed || !batches.isEmpty()) {
            ScoredBatch b;
            try {
                b = batches.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (b == null) {
                continue;
            }
            for (ServingListener l : listeners()) {
                try {
                    l.onBatchScored(b);
                } catch (RuntimeException e) {
                    LOG.warn("listener {} failed on a scored batch", l, e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            dispatcher.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
