package io.warmstream.trainer.work;

import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.train.TrainingProgress;

import java.time.Instant;

/** The {@link TrainingRunEvent}s of a run, keyed by job id on the runs topic. */
public final class RunEvents {

    public static final String STARTED = "STARTED";
    public static final String PROGRESS = "PROGRESS";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";
    /** Not run: a newer job of the same average covers all its labels (the reason names it). */
    public static final String SKIPPED = "SKIPPED";
    /** How a SKIPPED event's reason starts; the superseding job's id follows, up to a comma. */
    public static final String SUPERSEDED_BY = "superseded by ";

    private RunEvents() {
    }

    public static TrainingRunEvent started(TrainingJob job, String worker, String device) {
        return base(job.getJobId(), worker, STARTED).setDevice(device).build();
    }

    public static TrainingRunEvent progress(String jobId, String worker, String device, TrainingProgress p) {
        return base(jobId, worker, PROGRESS).setDevice(device).setStep(p.step()).setTotalSteps(p.totalSteps())
                .setLoss(p.loss()).setPairsPerSecond(p.pairsPerSecond()).build();
    }

    public static TrainingRunEvent finished(String jobId, String worker, String device, int steps, double loss) {
        return base(jobId, worker, FINISHED).setDevice(device).setStep(steps).setTotalSteps(steps)
                .setLoss(Double.isFinite(loss) ? loss : null).build();
    }

    public static TrainingRunEvent failed(String jobId, String worker, String device, String reason) {
        return base(jobId, worker, FAILED).setDevice(device).setReason(reason).build();
    }

    /**
     * Not run: {@code newer} covers all labels of {@code job}. The reason starts with {@link #SUPERSEDED_BY} and the
     * newer job's id, so the labels can be followed to the job that covers them.
     */
    public static TrainingRunEvent skipped(TrainingJob job, TrainingJob newer, String worker) {
        return base(job.getJobId(), worker, SKIPPED).setReason(SUPERSEDED_BY + newer.getJobId() + ", a newer job of '"
                + job.getAverage() + "' whose ranges hold all " + job.getLabelCount() + " labels of this one").build();
    }

    private static TrainingRunEvent.Builder base(String jobId, String worker, String type) {
        return TrainingRunEvent.newBuilder().setJobId(jobId).setWorker(worker).setType(type).setTime(Instant.now())
                .setStep(null).setTotalSteps(null).setLoss(null).setPairsPerSecond(null).setDevice(null).setReason(null);
    }
}
