package io.warmstream.local.feed;

import io.warmstream.local.client.IngestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated labelling pipeline: {@link PipelineLabels} in index order, posted to ingest's HTTP API at a steady
 * rate. The position is saved after every acknowledged batch, so a restart continues with the next label.
 *
 * <p>A label's id is a pure function of its index, so a label resent after a crash is dropped by ingest as a
 * duplicate id; {@link ResumePoint} keeps even that from happening.
 */
public final class SimulatorFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorFeed.class);

    /** What the feed has done since it started (labels of earlier runs are not counted). */
    public record Stats(long nextIndex, long sent, long accepted, long rejected, Map<String, Long> rejectedByReason,
                        String lastError) {
    }

    private final PipelineLabels labels;
    private final Clock clock;
    private final IngestClient client;
    private final Path stateFile;
    private final double ratePerSecond;
    private final long limit;
    private final FeedThread thread;
    private volatile FeedState state;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final Map<String, Long> reasons = new TreeMap<>();
    private volatile String lastError;

    /**
     * @param labels        what to send; each label is stamped with {@code clock}'s time when it is sent
     * @param state         where to start (see {@link FeedState#load} and {@link ResumePoint})
     * @param ratePerSecond labels per second
     * @param limit         stop after label index {@code limit - 1} ({@code Long.MAX_VALUE}: never)
     */
    public SimulatorFeed(PipelineLabels labels, Clock clock, IngestClient client, FeedState state, Path stateFile,
                         double ratePerSecond, long limit) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0 labels per second");
        }
        this.labels = labels;
        this.clock = clock;
        this.client = client;
        this.state = state;
        this.stateFile = stateFile;
        this.ratePerSecond = ratePerSecond;
        this.limit = limit;
        this.thread = new FeedThread("warm-simulator-feed", this::run);
    }

    public void start() {
        thread.start();
    }

    public Stats stats() {
        synchronized (reasons) {
            return new Stats(state.nextIndex(), sent.get(), accepted.get(), rejected.get(), Map.copyOf(reasons), lastError);
        }
    }

    /** True once the feed has sent every label up to its limit. */
    public boolean finished() {
        return state.nextIndex() >= limit;
    }

    private void run() {
        // Batches of about a second's worth of labels; slower rates send one label per tick.
        int batch = (int) Math.max(1, Math.min(500, Math.round(ratePerSecond)));
        long tickNanos = (long) (batch / ratePerSecond * 1e9);
        long next = System.nanoTime();
        while (!thread.stopping() && state.nextIndex() < limit) {
            long from = state.nextIndex();
            int n = (int) Math.min(batch, limit - from);
            List<String> lines = new ArrayList<>(n);
            long now = clock.millis();
            for (long i = from; i < from + n; i++) {
                lines.add(labels.line(i, now));
            }
            try {
                IngestClient.Outcome outcome = client.send(lines);
                record(n, outcome);
                state = state.advancedTo(from + n);
                state.save(stateFile);
                lastError = null;
            } catch (IngestClient.IngestUnavailableException e) {
                lastError = e.getMessage();
                LOG.warn("simulator feed: {}; retrying", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.error("simulator feed failed at label {}", from, e);
            }
            next += tickNanos;
            long wait = next - System.nanoTime();
            if (wait < -5 * tickNanos) {
                next = System.nanoTime(); // fell far behind (ingest was down): do not burst to catch up
            } else if (wait > 0 && !thread.pause(wait)) {
                return;
            }
        }
    }

    private void record(int n, IngestClient.Outcome outcome) {
        sent.addAndGet(n);
        accepted.addAndGet(outcome.acceptedIds().size());
        rejected.addAndGet(outcome.rejected().size());
        synchronized (reasons) {
            outcome.rejected().forEach(r -> reasons.merge(r.reason(), 1L, Long::sum));
        }
    }

    /**
     * Stops after the batch in flight (not interrupted, so its acknowledgement is still saved); waits up to 30 s.
     */
    @Override
    public void close() {
        thread.close();
    }
}
