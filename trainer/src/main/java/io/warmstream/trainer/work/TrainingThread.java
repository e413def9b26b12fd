package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.model.CpuPriority;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The worker's one training thread: runs a job with {@link JobRunner} while the poll thread keeps the worker in its
 * group. {@link #cancelRunning} may be called from any thread.
 */
final class TrainingThread {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingThread.class);

    /** A job taken from {@code partition} at {@code offset}, running or done. */
    record Run(TopicPartition partition, long offset, TrainingJob job, CancelToken token, Future<JobResult> result) {
    }

    private final JobRunner runner;
    private final ExecutorService executor;
    /** The running job's token, for a close() on another thread. */
    private volatile CancelToken runningToken;

    /** @param nice the training thread's CPU priority ({@link CpuPriority}); 0: as the JVM's */
    TrainingThread(String workerId, JobRunner runner, int nice) {
        this.runner = runner;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                int applied = CpuPriority.lowerCurrentThread(nice);
                if (nice > 0) {
                    LOG.info("{} trains at nice {}: serving and merging on this machine get the CPU first", workerId,
                            applied);
                }
                r.run();
            }, "warm-trainer-train-" + workerId);
            t.setDaemon(true);
            return t;
        });
    }

    Run start(TopicPartition partition, long offset, TrainingJob job) {
        CancelToken token = new CancelToken();
        runningToken = token;
        return new Run(partition, offset, job, token, executor.submit(() -> runner.run(job, token)));
    }

    /** The run is no longer the worker's business (its outcome committed, or its partition gone). */
    void forget() {
        runningToken = null;
    }

    void cancelRunning() {
        CancelToken token = runningToken;
        if (token != null) {
            token.cancel();
        }
    }

    /** The result of a run that is done; a crash of the run is a FAILED outcome. */
    static JobResult resultOf(Run run) {
        try {
            return run.result().get();
        } catch (ExecutionException e) {
            return new JobResult.Failed("worker error: " + e.getCause(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobResult.Cancelled("interrupted");
        }
    }

    /** Stops taking runs and waits for the current one; true when the thread ended within {@code timeout}. */
    boolean stop(Duration timeout, String workerId) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("training thread of {} did not stop within {}", workerId, timeout);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return executor.isTerminated();
    }
}
