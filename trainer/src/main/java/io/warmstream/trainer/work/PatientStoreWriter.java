package io.warmstream.trainer.work;

import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Puts a trained model into the checkpoint store, waiting out a store that cannot be reached: hours of training are
 * not thrown away (nor the job committed as FAILED) because a volume was briefly unmounted. The model stays in the
 * work directory and the put is retried with bounded exponential backoff while the worker's health names the store;
 * only a cancelled job (partition revoked, worker stopping) stops waiting, and its job is then redone elsewhere.
 */
final class PatientStoreWriter {

    private static final Logger LOG = LoggerFactory.getLogger(PatientStoreWriter.class);
    private static final long CANCEL_CHECK_MS = 100;

    private final CheckpointStore store;
    private final Backoff backoff;
    private final WorkerStatus status;

    PatientStoreWriter(CheckpointStore store, Backoff backoff, WorkerStatus status) {
        this.store = store;
        this.backoff = backoff;
        this.status = status;
    }

    URI put(String jobId, String key, Path dir, CancelToken cancel) {
        for (int attempt = 1; ; attempt++) {
            try {
                URI uri = store.put(key, dir);
                status.outages().up(DependencyOutages.Dependency.STORE);
                return uri;
            } catch (StoreUnavailableException e) {
                status.outages().down(DependencyOutages.Dependency.STORE, e.getMessage());
                Duration pause = backoff.delay(attempt);
                status.phase("waiting for the checkpoint store");
                LOG.warn("job {}: the checkpoint store does not take the trained model ({}); keeping it, retry {} in {} ms",
                        jobId, e.getMessage(), attempt, pause.toMillis());
                waitOrCancel(pause, cancel);
            }
        }
    }

    private static void waitOrCancel(Duration pause, CancelToken cancel) {
        long until = System.nanoTime() + pause.toNanos();
        while (System.nanoTime() < until) {
            if (cancel.cancelled()) {
                throw new CancellationException("cancelled while waiting for the checkpoint store");
            }
            try {
                Thread.sleep(Math.min(CANCEL_CHECK_MS, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting for the checkpoint store");
            }
        }
        if (cancel.cancelled()) {
            throw new CancellationException("cancelled while waiting for the checkpoint store");
        }
    }
}
