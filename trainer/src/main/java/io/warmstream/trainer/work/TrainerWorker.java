package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.Compute;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.schemas.DeadLetterHeaders;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.platform.RegistryOutage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 */
public final class TrainerWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerWorker.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Pause before retrying what failed because the registry or the broker was unreachable. */
    private static final long BACKOFF_MS = 2_000;

    private final WorkerSettings settings;
    private final WorkerStatus status;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Producer<String, byte[]> runEvents;
    private final OutcomePublisher outcomes;
    private final Deserializer<TrainingJob> jobs;
    private final Serializer<TrainingRunEvent> progressValues;
    private final JobDataReader reader;
    /** Null when superseded jobs are trained anyway ({@code warm.trainer.worker.supersede=false}). */
    private final SupersedeCheck supersede;
    private final JobRunner runner;
    private final ExecutorService trainingThread;
    private final Thread pollThread;
    private volatile boolean running = true;
    /** Only touched on the poll thread (rebalance callbacks run there too). */
    private Current current;
    /** Poll thread only: no new job is taken, and no finished one is published, before this time. */
    private long backoffUntil;
    /** The running job's token, for close() on another thread. */
    private volatile CancelToken runningToken;

    private record Current(TopicPartition partition, long offset, TrainingJob job, CancelToken token,
                           Future<JobResult> result) {
    }

    public TrainerWorker(WorkerSettings settings, KafkaSettings kafka, CheckpointStore store, Compute compute,
                         WorkerStatus status) {
        this.settings = settings;
        this.status = status;
        String id = settings.workerId();
        Map<String, Object> consumerExtra = new HashMap<>();
        consumerExtra.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerExtra.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        consumerExtra.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        consumerExtra.putAll(settings.consumerOverrides());
        this.consumer = new KafkaConsumer<>(kafka.consumerConfig(settings.groupId(), "warm-trainer-" + id, consumerExtra));
        this.runEvents = new KafkaProducer<>(kafka.producerConfig("warm-trainer-events-" + id, settings.producerOverrides()));
        this.outcomes = new OutcomePublisher(settings, kafka);
        this.jobs = kafka.serdes().valueDeserializer(TrainingJob.class);
        this.progressValues = kafka.serdes().valueSerializer(TrainingRunEvent.class);
        this.reader = new JobDataReader(kafka, "warm-trainer-data-" + id, settings.dataTimeout());
        this.supersede = settings.supersede()
                ? new SupersedeCheck(kafka, "warm-trainer-jobs-" + id, settings.jobsTopic(), settings.dataTimeout())
                : null;
        this.runner = new JobRunner(id, compute, store, reader, settings.workDir(), settings.progressEvery(),
                this::publishRunEvent, status, settings.featureCache(), settings.storeRetry());
        this.trainingThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "warm-trainer-train-" + id);
            t.setDaemon(true);
            return t;
        });
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
            closeQuietly(consumer::close, "jobs consumer");
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

    /** A job record: dead-letter it if it is not a runnable job, else start training it. */
    private void take(ConsumerRecord<String, byte[]> r) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        TrainingJob job;
        try {
            job = jobs.deserialize(r.topic(), r.headers(), r.value());
        } catch (SerializationException e) {
            if (RegistryOutage.isOutage(e)) {
                LOG.warn("job record {}@{} cannot be decoded now, the registry is unreachable: {}", tp, r.offset(),
                        e.getMessage());
                backOff(tp, r.offset());
                return;
            }
            deadLetter(r, tp, "undecodable training job: " + e.getMessage(), null, e);
            return;
        }
        if (job == null) {
            deadLetter(r, tp, "empty record: no training job", null, null);
            return;
        }
        JobCheck.Problem problem = JobCheck.problem(job);
        if (problem != null) {
            deadLetter(r, tp, "invalid training job: " + problem.reason(), problem.field(), null);
            return;
        }
        if (supersede != null) {
            Optional<TrainingJob> newer = supersede.supersederOf(job, () -> !running);
            if (newer.isPresent()) {
                skip(tp, r.offset(), job, newer.get());
                return;
            }
        }
        CancelToken token = new CancelToken();
        runningToken = token;
        Future<JobResult> result = trainingThread.submit(() -> runner.run(job, token));
        current = new Current(tp, r.offset(), job, token, result);
        consumer.pause(consumer.assignment());
    }

    /**
     * The dead-letter copy and, for a record keyed by a job id, a FAILED event: every job record ends with an event
     * on the runs topic, so the planner counts it as ended (it would otherwise hold a place until it times out).
     */
    private void deadLetter(ConsumerRecord<String, byte[]> r, TopicPartition tp, String reason, String field,
                            Throwable error) {
        LOG.warn("job record {}@{} goes to {}: {}", tp, r.offset(), settings.deadLetterTopic(), reason);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        out.add(new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value(),
                DeadLetterHeaders.of(reason, field, r.topic(), r.partition(), r.offset(), error)));
        if (r.key() != null) {
            try {
                out.addAll(outcomes.failed(RunEvents.failed(r.key(), settings.workerId(), runner.device(),
                        "dead-lettered to " + settings.deadLetterTopic() + ": " + reason)));
            } catch (RuntimeException e) {
                LOG.warn("job record {}@{}: cannot encode its FAILED event now ({}); trying again in {} ms", tp,
                        r.offset(), e.toString(), BACKOFF_MS);
                backOff(tp, r.offset());
                return;
            }
        }
        switch (commitWith(tp, r.offset(), out)) {
            case COMMITTED -> status.deadLettered();
            case RETRY -> backOff(tp, r.offset());
            case LOST -> { }
        }
    }

    /** Commits the job untrained with a SKIPPED event naming the newer job that covers its labels. */
    private void skip(TopicPartition tp, long offset, TrainingJob job, TrainingJob newer) {
        List<ProducerRecord<String, byte[]>> out;
        try {
            out = outcomes.skipped(RunEvents.skipped(job, newer, settings.workerId()));
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot encode its SKIPPED event now ({}); trying again in {} ms", job.getJobId(),
                    e.toString(), BACKOFF_MS);
            backOff(tp, offset);
            return;
        }
        switch (commitWith(tp, offset, out)) {
            case COMMITTED -> {
                status.skipped();
                LOG.info("job {}: SKIPPED, superseded by {}, which covers all its {} labels", job.getJobId(),
                        newer.getJobId(), job.getLabelCount());
            }
            case RETRY -> backOff(tp, offset);
            case LOST -> { }
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
        Current c = current;
        JobResult result = resultOf(c);
        String jobId = c.job().getJobId();
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
        List<ProducerRecord<String, byte[]>> out;
        try {
            out = outcomeRecords(c, result);
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot encode its outcome now ({}); trying again in {} ms", jobId, e.toString(), BACKOFF_MS);
            backoffUntil = System.currentTimeMillis() + BACKOFF_MS;
            return;
        }
        Commit commit = commitWith(c.partition(), c.offset(), out);
        if (commit == Commit.RETRY) {
            backoffUntil = System.currentTimeMillis() + BACKOFF_MS;
            return;
        }
        finish(c);
        if (commit == Commit.COMMITTED) {
            if (result instanceof JobResult.Finished f) {
                status.finished(f.checkpoint().getDurationMs() / 1e3, QueueWait.seconds(f.checkpoint()));
                LOG.info("job {}: FINISHED, checkpoint published to {}", jobId, settings.checkpointsTopic());
            } else {
                status.failed();
            }
        }
    }

    private void finish(Current c) {
        if (current == c) {
            current = null;
            runningToken = null;
        }
        status.idle();
    }

    private static JobResult resultOf(Current c) {
        try {
            return c.result().get();
        } catch (ExecutionException e) {
            return new JobResult.Failed("worker error: " + e.getCause(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JobResult.Cancelled("interrupted");
        }
    }

    private List<ProducerRecord<String, byte[]>> outcomeRecords(Current c, JobResult result) {
        String jobId = c.job().getJobId();
        if (result instanceof JobResult.Finished f) {
            return outcomes.finished(f.checkpoint(),
                    RunEvents.finished(jobId, settings.workerId(), runner.device(), f.steps(), f.finalLoss()));
        }
        String reason = ((JobResult.Failed) result).reason();
        return outcomes.failed(RunEvents.failed(jobId, settings.workerId(), runner.device(), reason));
    }

    private enum Commit { COMMITTED, LOST, RETRY }

    /**
     * Sends {@code records} and commits {@code offset + 1} of {@code tp} for the group in one transaction.
     * LOST: the partition left this worker (nothing is visible; whoever owns it now redoes the job). RETRY: the
     * transaction failed and was aborted; try again later.
     */
    private Commit commitWith(TopicPartition tp, long offset, List<ProducerRecord<String, byte[]>> records) {
        if (!consumer.assignment().contains(tp)) {
            LOG.warn("{} was revoked before its outcome was committed; the new owner redoes offset {}", tp, offset);
            return Commit.LOST;
        }
        if (outcomes.commit(tp, offset, consumer.groupMetadata(), records)) {
            return Commit.COMMITTED;
        }
        return consumer.assignment().contains(tp) ? Commit.RETRY : Commit.LOST;
    }

    /** Makes the job at {@code offset} the next record of {@code tp} again, if this worker still owns it. */
    private void rewind(TopicPartition tp, long offset) {
        if (consumer.assignment().contains(tp)) {
            consumer.seek(tp, offset);
        }
    }

    private void publishRunEvent(TrainingRunEvent e) {
        try {
            runEvents.send(new ProducerRecord<>(settings.runsTopic(), e.getJobId(),
                    progressValues.serialize(settings.runsTopic(), e)), (md, error) -> {
                        if (error != null) {
                            LOG.warn("{} event of {} not published: {}", e.getType(), e.getJobId(), error.toString());
                        }
                    });
        } catch (KafkaException ex) {
            LOG.warn("{} event of {} not published: {}", e.getType(), e.getJobId(), ex.toString());
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
            Current c = current;
            if (c != null && partitions.contains(c.partition())) {
                LOG.warn("job {}: partition {} {}; cancelling the run, another worker will redo it",
                        c.job().getJobId(), c.partition(), how);
                c.token().cancel();
                current = null;
                runningToken = null;
                status.cancelled();
                status.idle();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        CancelToken token = runningToken;
        if (token != null) {
            token.cancel();
        }
        consumer.wakeup();
        long timeoutMs = settings.closeTimeout().toMillis();
        try {
            pollThread.join(timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trainingThread.shutdown();
        try {
            if (!trainingThread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("training thread of {} did not stop within {}", settings.workerId(), settings.closeTimeout());
                trainingThread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (trainingThread.isTerminated()) {
            closeQuietly(runner, "feature caches");
        } else {
            // Their models may still be in use by the training thread: left to the process's exit.
            LOG.warn("feature caches of {} left open: the training thread is still running", settings.workerId());
        }
        closeQuietly(reader::close, "label reader");
        if (supersede != null) {
            closeQuietly(supersede, "jobs reader");
        }
        closeQuietly(outcomes, "outcome producer");
        closeQuietly(() -> runEvents.close(settings.closeTimeout()), "event producer");
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
