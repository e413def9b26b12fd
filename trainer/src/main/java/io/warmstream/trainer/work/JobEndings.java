package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.schemas.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * How a job record ends: every one ends in one transaction with the commit of its offset
 * ({@link OutcomePublisher}), holding the checkpoint event plus FINISHED, FAILED with the reason, SKIPPED naming the
 * newer job, or the dead-letter copy of a record that is no runnable job. An outcome that cannot be encoded now
 * (registry unreachable) is a {@link Commit#RETRY}, like a failed transaction. Used by the worker's poll thread only.
 */
final class JobEndings {

    private static final Logger LOG = LoggerFactory.getLogger(JobEndings.class);

    /**
     * COMMITTED: done. LOST: the partition left this worker (nothing is visible; whoever owns it now redoes the job).
     * RETRY: nothing was committed; try again later.
     */
    enum Commit { COMMITTED, LOST, RETRY }

    private final WorkerSettings settings;
    private final OutcomePublisher outcomes;
    private final WorkerStatus status;
    private final String device;

    JobEndings(WorkerSettings settings, OutcomePublisher outcomes, WorkerStatus status, String device) {
        this.settings = settings;
        this.outcomes = outcomes;
        this.status = status;
        this.device = device;
    }

    /**
     * The dead-letter copy and, for a record keyed by a job id, a FAILED event: every job record ends with an event
     * on the runs topic, so the planner counts it as ended (it would otherwise hold a place until it times out).
     */
    Commit deadLetter(Consumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> r, String reason,
                      String field, Throwable error) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        LOG.warn("job record {}@{} goes to {}: {}", tp, r.offset(), settings.deadLetterTopic(), reason);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
        out.add(new ProducerRecord<>(settings.deadLetterTopic(), null, r.key(), r.value(),
                DeadLetterHeaders.of(reason, field, r.topic(), r.partition(), r.offset(), error)));
        if (r.key() != null) {
            try {
                out.addAll(outcomes.failed(RunEvents.failed(r.key(), settings.workerId(), device,
                        "dead-lettered to " + settings.deadLetterTopic() + ": " + reason)));
            } catch (RuntimeException e) {
                LOG.warn("job record {}@{}: cannot encode its FAILED event now ({}); trying again in {} ms", tp,
                        r.offset(), e.toString(), TrainerWorker.BACKOFF_MS);
                return Commit.RETRY;
            }
        }
        Commit commit = commit(consumer, tp, r.offset(), out);
        if (commit == Commit.COMMITTED) {
            status.deadLettered();
        }
        return commit;
    }

    /** Commits the job untrained with a SKIPPED event naming the newer job that covers its labels. */
    Commit skip(Consumer<String, byte[]> consumer, TopicPartition tp, long offset, TrainingJob job, TrainingJob newer) {
        List<ProducerRecord<String, byte[]>> out;
        try {
            out = outcomes.skipped(RunEvents.skipped(job, newer, settings.workerId()));
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot encode its SKIPPED event now ({}); trying again in {} ms", job.getJobId(),
                    e.toString(), TrainerWorker.BACKOFF_MS);
            return Commit.RETRY;
        }
        Commit commit = commit(consumer, tp, offset, out);
        if (commit == Commit.COMMITTED) {
            status.skipped();
            LOG.info("job {}: SKIPPED, superseded by {}, which covers all its {} labels", job.getJobId(),
                    newer.getJobId(), job.getLabelCount());
        }
        return commit;
    }

    /** A run that ended FINISHED or FAILED: its events, committed with the job's offset. */
    Commit outcome(Consumer<String, byte[]> consumer, TopicPartition tp, long offset, TrainingJob job,
                   JobResult result) {
        String jobId = job.getJobId();
        List<ProducerRecord<String, byte[]>> out;
        try {
            if (result instanceof JobResult.Finished f) {
                out = outcomes.finished(f.checkpoint(),
                        RunEvents.finished(jobId, settings.workerId(), device, f.steps(), f.finalLoss()));
            } else {
                String reason = ((JobResult.Failed) result).reason();
                out = outcomes.failed(RunEvents.failed(jobId, settings.workerId(), device, reason));
            }
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot encode its outcome now ({}); trying again in {} ms", jobId, e.toString(),
                    TrainerWorker.BACKOFF_MS);
            return Commit.RETRY;
        }
        return commit(consumer, tp, offset, out);
    }

    /** Sends {@code records} and commits {@code offset + 1} of {@code tp} for the group in one transaction. */
    private Commit commit(Consumer<String, byte[]> consumer, TopicPartition tp, long offset,
                          List<ProducerRecord<String, byte[]>> records) {
        if (!consumer.assignment().contains(tp)) {
            LOG.warn("{} was revoked before its outcome was committed; the new owner redoes offset {}", tp, offset);
            return Commit.LOST;
        }
        if (outcomes.commit(tp, offset, consumer.groupMetadata(), records)) {
            return Commit.COMMITTED;
        }
        return consumer.assignment().contains(tp) ? Commit.RETRY : Commit.LOST;
    }
}
