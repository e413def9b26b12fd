package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.model.Compute;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.platform.KafkaSettings;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A member of the trainer group on the jobs topic: takes one job at a time, trains it on its own thread and keeps
 * polling meanwhile with the job's partitions paused, so it stays in the group however long training takes.
 *
 * <p>Nothing lost, nothing twice. Every job ends in one Kafka transaction that holds its outcome and the commit of
 * its offset: the checkpoint event plus FINISHED, or FAILED with the reason, or the dead-letter copy of an
 * undecodable record. A worker that dies or loses the partition before that transaction commits leaves the job
 * uncommitted, and the group hands it to another worker, which redoes it under the same job id; the dead worker's
 * transaction is aborted (fenced by the group generation, or timed out), so read_committed consumers see exactly
 * one checkpoint event per job id. The model directory in the store is keyed by job id, so a redo overwrites it.
 * A FAILED job is committed too: it is not retried (produce it again to retry).
 *
 * <p>Revocation of the running job's partition cancels the run between steps. The cooperative-sticky assignor keeps
 * members that join or leave from revoking jobs that do not move.
 *
 * <p>A job that a newer job of its average covers ({@link Supersession}) is not trained: it is committed with a
 * SKIPPED event naming that job, in one transaction like any outcome, so a backlog drains to its newest jobs.
 *
 * <p>This class is the poll loop; {@link JobIntake} says what a record asks for, the job runs on the
 * {@link TrainingThread} ({@link JobRunner}), and {@link JobEndings} commits how each record ends. At about 300 lines
 * it is long for one job because the loop, the rebalance callbacks and the retry pauses all act on the one current
 * run and on the consumer, which Kafka allows on this thread only.
 *
 * <p>Longer than most classes because polling, pausing and handing over the running job on revocation share one consumer, which is not thread-safe; the job's own work lives in JobRunner and JobEndings.
 */
public final class TrainerWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Pause before retrying what failed because the registry or the broker was unreachable. */
    static final long BACKOFF_MS = 2_000;

    private final WorkerSettings settings;
    private final WorkerStatus status;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RunEventSender runEvents;
    private final OutcomePublisher outcomes;
    private final JobEndings endings;
    private final JobIntake intake;
    private final JobDataReader reader;
    private final JobRunner runner;
    private final TrainingThread training;
    private final Thread pollThread;
    private volatile boolean running = true;
    /** Only touched on the poll thread (rebalance callbacks run there too). */
    private TrainingThread.Run current;
    /** Poll thread only: no new job is taken, and no finished one is published, before this time. */
    private long backoffUntil;

    public TrainerWorker(WorkerSettings settings, KafkaSettings kafka, CheckpointStore store, Compute compute,
                         WorkerStatus status) {
        this.settings = settings;
        this.status = status;
        String id = settings.workerId();
        Map<String, Object> consumerExtra = new HashMap<>();
        consumerExtra.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerExtra.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        consumerExtra.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        // Static membership: a worker restarted under the same id (after a crash, kill -9) gets its partitions back
        // at once instead of after the session timeout. A closing worker still leaves the group (see close below).
        consumerExtra.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "warm-trainer-" + id);
        consumerExtra.putAll(settings.consumerOverrides());
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(settings.groupId(), "warm-trainer-" + id, consumerExtra));
        this.runEvents = new RunEventSender(settings, kafka);
        this.outcomes = new OutcomePublisher(settings, kafka);
        this.intake = new JobIntake(kafka.serdes().valueDeserializer(TrainingJob.class), settings.supersede()
                ? new SupersedeCheck(kafka, "warm-trainer-jobs-" + id, settings.jobsTopic(), settings.dataTimeout())
                : null);
        this.reader = new JobDataReader(kafka, "warm-trainer-data-" + id, settings.dataTimeout());
        this.runner = new JobRunner(id, compute, store, reader, settings.workDir(), settings.progressEvery(),
                runEvents::send, status, settings.featureCache(), settings.storeRetry());
        this.endings = new JobEndings(settings, outcomes, status, runner.device());
        this.training = new TrainingThread(id, runner, settings.nice());
        this.pollThread = new Thread(this::pollLoop, "warm-trainer-poll-" + id);
    }

    /** Joins the group and starts taking jobs. */
    public TrainerWorker start() {
        pollThread.start();
        return this;
    }

    public String workerId() {
        return settings.workerId();
    }

    public String device() {
        return runner.device();
    }

    public String precision() {
        return runner.precision();
    }

    public WorkerStatus status() {
        return status;
    }

    private void pollLoop() {
        try {
            outcomes.start();
            consumer.subscribe(List.of(settings.jobsTopic()), new Rebalance());
            status.state(WorkerStatus.State.IDLE);
            LOG.info("trainer worker {} on {} ({}) takes jobs from {} in group {}", settings.workerId(), runner.device(),
                    runner.precision(), settings.jobsTopic(), settings.groupId());
            while (running) {
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                consumer.poll(POLL).forEach(records::add);
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (current != null) {
                        // Busy (a record from a partition assigned while training): take it later.
                        consumer.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        continue;
                    }
                    take(r);
                }
                boolean backingOff = System.currentTimeMillis() < backoffUntil;
                if (current != null) {
                    consumer.pause(consumer.assignment());
                    if (current.result().isDone() && !backingOff) {
                        complete();
                    }
                }
                if (current == null) {
                    if (backingOff) {
                        consumer.pause(consumer.assignment());
                    } else if (!consumer.paused().isEmpty()) {
                        consumer.resume(consumer.paused());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            if (current != null) {
                current.token().cancel();
            }
            // A static member stays in the group on close unless told: a stopping worker hands its partitions over now.
            closeQuietly(() -> consumer.close(CloseOptions.groupMembershipOperation(
                    CloseOptions.GroupMembershipOperation.LEAVE_GROUP)), "jobs consumer");
            if (status.state() != WorkerStatus.State.FAILED) {
                status.state(WorkerStatus.State.STOPPED);
            }
        }
    }

    private void fail(Throwable t) {
        LOG.error("trainer worker {} stopped taking jobs", settings.workerId(), t);
        status.error(t.toString());
        status.state(WorkerStatus.State.FAILED);
    }

    /** A job record: start training it, or commit how it ends untrained, or take it again after a pause. */
    private void take(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        JobIntake.Verdict verdict = intake.examine(r, () -> !running);
        if (verdict instanceof JobIntake.Run run) {
            current = training.start(tp, r.offset(), run.job());
            consumer.pause(consumer.assignment());
        } else if (verdict instanceof JobIntake.Skip skip) {
            retryIf(endings.skip(consumer, tp, r.offset(), skip.job(), skip.newer()), tp, r.offset());
        } else if (verdict instanceof JobIntake.DeadLetter dead) {
            retryIf(endings.deadLetter(consumer, r, dead.reason(), dead.field(), dead.error()), tp, r.offset());
        } else {
            backOff(tp, r.offset());
        }
    }

    private void retryIf(JobEndings.Commit commit, TopicPartition tp, long offset) {
        if (commit == JobEndings.Commit.RETRY) {
            backOff(tp, offset);
        }
    }

    /** Takes the record at {@code offset} of {@code tp} again after a pause. */
    private void backOff(TopicPartition tp, long offset) {
        rewind(tp, offset);
        backoffUntil = System.currentTimeMillis() + BACKOFF_MS;
        consumer.pause(consumer.assignment());
    }

    /**
     * The running job is done: publish its outcome and commit it in one transaction. If that cannot happen now
     * (registry or broker unreachable) the job stays current, its result kept, and publishing is tried again after
     * a pause; the model is not trained again.
     */
    private void complete() {
        TrainingThread.Run c = current;
        JobResult result = TrainingThread.resultOf(c);
        if (result instanceof JobResult.Cancelled) {
            finish(c);
            status.cancelled();
            rewind(c.partition(), c.offset());
            return;
        }
        if (result instanceof JobResult.Retry) {
            finish(c);
            backOff(c.partition(), c.offset());
            return;
        }
        JobEndings.Commit commit = endings.outcome(consumer, c.partition(), c.offset(), c.job(), result);
        if (commit == JobEndings.Commit.RETRY) {
            backoffUntil = System.currentTimeMillis() + BACKOFF_MS;
            return;
        }
        finish(c);
        if (commit == JobEndings.Commit.COMMITTED) {
            if (result instanceof JobResult.Finished f) {
                status.finished(f.checkpoint().getDurationMs() / 1e3, QueueWait.seconds(f.checkpoint()));
                LOG.info("job {}: FINISHED, checkpoint published to {}", c.job().getJobId(), settings.checkpointsTopic());
            } else {
                status.failed();
            }
        }
    }

    private void finish(TrainingThread.Run c) {
        if (current == c) {
            current = null;
            training.forget();
        }
        status.idle();
    }

    /** Makes the job at {@code offset} the next record of {@code tp} again, if this worker still owns it. */
    private void rewind(TopicPartition tp, long offset) {
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, offset);
        }
    }

    /** Cancels the running job if its partition leaves this worker; pauses newly assigned partitions while busy. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(partitions, "revoked");
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions, "lost");
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (current != null) {
                consumer.pause(partitions);
            }
            status.assignedPartitions(consumer.assignment().size());
            LOG.debug("worker {} assigned {}", settings.workerId(), partitions);
        }

        private void lose(Collection<TopicPartition> partitions, String how) {
            status.assignedPartitions((int) consumer.assignment().stream().filter(tp -> !partitions.contains(tp)).count());
            TrainingThread.Run c = current;
            if (c != null && partitions.contains(c.partition())) {
                LOG.warn("job {}: partition {} {}; cancelling the run, another worker will redo it",
                        c.job().getJobId(), c.partition(), how);
                c.token().cancel();
                current = null;
                training.forget();
                status.cancelled();
                status.idle();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        training.cancelRunning();
        consumer.wakeup();
        try {
            pollThread.join(settings.closeTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (training.stop(settings.closeTimeout(), settings.workerId())) {
            closeQuietly(runner, "feature caches");
        } else {
            // Their models may still be in use by the training thread: left to the process's exit.
            LOG.warn("feature caches of {} left open: the training thread is still running", settings.workerId());
        }
        closeQuietly(reader::close, "label reader");
        closeQuietly(intake, "jobs reader");
        closeQuietly(outcomes, "outcome producer");
        closeQuietly(runEvents, "event producer");
        status.state(WorkerStatus.State.STOPPED);
    }

    private void closeQuietly(AutoCloseable c, String what) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing the {} of {} failed: {}", what, settings.workerId(), e.toString());
        }
    }
}
