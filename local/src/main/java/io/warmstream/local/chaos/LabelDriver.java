package io.warmstream.local.chaos;

import io.warmstream.local.client.IngestClient;
import io.warmstream.local.feed.PipelineLabels;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's labels into ingest over HTTP at a steady rate, remembering every label id ingest answered 202 for
 * (the ids the exactly-once invariant is checked on). A batch ingest could not take is sent again, as a labelling
 * pipeline would; ingest drops repeated ids.
 */
final class LabelDriver implements AutoCloseable {

    private final PipelineLabels labels;
    private final IngestClient client;
    private final double ratePerSecond;
    private final Thread thread;
    private final Map<String, Long> accepted = new ConcurrentHashMap<>();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile boolean inFlight;
    private volatile boolean stopping;
    private volatile long nextIndex;

    LabelDriver(PipelineLabels labels, IngestClient client, double ratePerSecond) {
        this.labels = labels;
        this.client = client;
        this.ratePerSecond = ratePerSecond;
        this.thread = new Thread(this::run, "chaos-labels");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Label id to the time ingest first answered 202 for it. */
    Map<String, Long> accepted() {
        return Map.copyOf(accepted);
    }

    int acceptedCount() {
        return accepted.size();
    }

    /** True while a request is on its way to ingest (the moment to kill ingest mid-batch). */
    boolean inFlight() {
        return inFlight;
    }

    /** Batches that ingest could not take even after the client's retries (sent again). */
    long unavailableBatches() {
        return unavailable.get();
    }

    private void run() {
        int batch = (int) Math.max(1, Math.round(ratePerSecond / 2)); // two requests a second
        long tickNanos = (long) (batch / ratePerSecond * 1e9);
        long next = System.nanoTime();
        Clock clock = Clock.systemUTC();
        while (!stopping) {
            long from = nextIndex;
            List<String> lines = new ArrayList<>(batch);
            for (long i = from; i < from + batch; i++) {
                lines.add(labels.line(i, clock.millis()));
            }
            try {
                inFlight = true;
                IngestClient.Outcome outcome = client.send(lines);
                long now = System.currentTimeMillis();
                outcome.acceptedIds().forEach(id -> accepted.putIfAbsent(id, now));
                nextIndex = from + batch;
            } catch (IngestClient.IngestUnavailableException e) {
                unavailable.incrementAndGet(); // same labels again next tick
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                unavailable.incrementAndGet();
            } finally {
                inFlight = false;
            }
            next += tickNanos;
            long wait = next - System.nanoTime();
            if (wait < -5 * tickNanos) {
                next = System.nanoTime();
            } else if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops after the request in flight, so its verdicts are recorded. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
