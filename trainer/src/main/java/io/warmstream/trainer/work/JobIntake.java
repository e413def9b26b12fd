package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.schemas.RegistryOutage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a job record asks of the worker: run the job; skip it, because a newer job of its average covers it
 * ({@link Supersession}); dead-letter it, because it is no runnable job ({@link JobCheck}); or wait, because the
 * registry cannot be asked about it now. Used by the worker's poll thread only.
 */
final class JobIntake implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

    sealed interface Verdict {
    }

    record Run(TrainingJob job) implements Verdict {
    }

    record Skip(TrainingJob job, TrainingJob newer) implements Verdict {
    }

    record DeadLetter(String reason, String field, Throwable error) implements Verdict {
    }

    record Wait() implements Verdict {
    }

    private final Deserializer<TrainingJob> jobs;
    /** Null when superseded jobs are trained anyway ({@code warm.trainer.worker.supersede=false}). */
    private final SupersedeCheck supersede;

    JobIntake(Deserializer<TrainingJob> jobs, SupersedeCheck supersede) {
        this.jobs = jobs;
        this.supersede = supersede;
    }

    /** @param stopping true once the worker is closing (a supersession look-up then gives up) */
    Verdict examine(ConsumerRecord<String, byte[]> r, BooleanSupplier stopping) {
        TrainingJob job;
        try {
            job = jobs.deserialize(r.topic(), r.headers(), r.value());
        } catch (SerializationException e) {
            if (RegistryOutage.isOutage(e)) {
                LOG.warn("job record {}-{}@{} cannot be decoded now, the registry is unreachable: {}", r.topic(),
                        r.partition(), r.offset(), e.getMessage());
                return new Wait();
            }
            return new DeadLetter("undecodable training job: " + e.getMessage(), null, e);
        }
        if (job == null) {
            return new DeadLetter("empty record: no training job", null, null);
        }
        JobCheck.Problem problem = JobCheck.problem(job);
        if (problem != null) {
            return new DeadLetter("invalid training job: " + problem.reason(), problem.field(), null);
        }
        if (supersede != null) {
            Optional<TrainingJob> newer = supersede.supersederOf(job, stopping);
            if (newer.isPresent()) {
                return new Skip(job, newer.get());
            }
        }
        return new Run(job);
    }

    /** Closes the jobs reader of the supersession check. */
    @Override
    public void close() {
        if (supersede != null) {
            supersede.close();
        }
    }
}
