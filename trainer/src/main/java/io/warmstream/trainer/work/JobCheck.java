package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.TrainingJob;
import io.warmstream.trainer.plan.JobIdentity;

import java.util.regex.Pattern;

/**
 * Whether a decoded job record is a runnable job at all. One that is not goes to the dead-letter topic (like an
 * undecodable record), with the field to blame; a runnable job that then fails is reported as FAILED instead.
 */
final class JobCheck {

    /** Job ids end up in store keys and file names. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    record Problem(String field, String reason) {
    }

    private JobCheck() {
    }

    /** The first problem found, or null if the job can be run. */
    static Problem problem(TrainingJob job) {
        if (job.getJobId() == null || !JOB_ID.matcher(job.getJobId()).matches()) {
            return new Problem("jobId", "job id '" + job.getJobId() + "' must be 1-200 letters, digits, '.', '_' or '-'");
        }
        try {
            JobIdentity.requireAverageName(job.getAverage());
        } catch (IllegalArgumentException e) {
            return new Problem("average", e.getMessage());
        }
        if (job.getRanges().isEmpty()) {
            return new Problem("ranges", "a job needs at least one offset range");
        }
        for (OffsetRange r : job.getRanges()) {
            if (r.getTopic().isBlank() || r.getPartition() < 0 || r.getStartOffset() < 0
                    || r.getEndOffset() < r.getStartOffset()) {
                return new Problem("ranges", "bad offset range " + r);
            }
        }
        double f = job.getValidationFraction();
        if (!(f >= 0 && f < 1)) {
            return new Problem("validationFraction", "validation fraction must be in [0, 1), got " + f);
        }
        if (job.getBaseModel() == null || job.getBaseModel().isBlank()) {
            return new Problem("baseModel", "base model must be named");
        }
        if (job.getHyperparameters() == null) {
            return new Problem("hyperparameters", "hyperparameters are missing");
        }
        return null;
    }
}
