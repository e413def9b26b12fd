package io.warmstream.trainer.plan;

import io.warmstream.events.TrainingJob;
import io.warmstream.schemas.Holdout;
import org.apache.kafka.common.serialization.Serde;

import java.time.Duration;
import java.util.Objects;

/**
 * How the planner turns arriving labels into training jobs.
 *
 * @param labelsTopic the validated label topic it follows ({@code warm.preferences})
 * @param jobsTopic where jobs go ({@code warm.training-jobs})
 * @param average the running average the jobs are for
 * @param labelsPerJob count trigger: a job every this many new labels
 * @param interval time trigger: a job once the oldest unplanned label has waited this long ...
 * @param minLabels ... if at least this many new labels are waiting
 * @param checkInterval how often the wall-clock time trigger is checked
 * @param dataSelection what a job trains on
 * @param windowTriggers for {@link DataSelection#NEWEST_WINDOW}: the newest this many triggers' labels
 * @param validationFraction share of labels held out ({@link Holdout})
 * @param validationSalt salt of the held-out hash
 * @param baseModel the shared pretrained base every member starts from
 * @param sharedHead whether jobs use LP-FT's shared head (fitted once per average from the first job's labels)
 * @param baseSeed mixed into every job's seed; change it to get a different but still reproducible ensemble
 * @param grid the hyperparameter grid
 * @param jobSerde value serde of the jobs topic
 * @param capacity how many jobs may be pending for the live workers, read from the run events
 * @param events told about each planned job (metrics); may be {@link PlannerEvents#NONE}
 * @param refitFactor generations: once the labels planned are this many times those the current shared head was
 *                    fitted on, the next job starts a new generation whose head is fitted on all of them; 0 never
 */
public record PlannerSettings(String labelsTopic, String jobsTopic, String average, int labelsPerJob,
                              Duration interval, int minLabels, Duration checkInterval, DataSelection dataSelection,
                              int windowTriggers, double validationFraction, String validationSalt, String baseModel,
                              boolean sharedHead, long baseSeed, HyperparameterGrid grid, Serde<TrainingJob> jobSerde,
                              CapacitySettings capacity, PlannerEvents events, double refitFactor) {

    /** Without generations: one shared head for ever. */
    public PlannerSettings(String labelsTopic, String jobsTopic, String average, int labelsPerJob,
                           Duration interval, int minLabels, Duration checkInterval, DataSelection dataSelection,
                           int windowTriggers, double validationFraction, String validationSalt, String baseModel,
                           boolean sharedHead, long baseSeed, HyperparameterGrid grid, Serde<TrainingJob> jobSerde,
                           CapacitySettings capacity, PlannerEvents events) {
        this(labelsTopic, jobsTopic, average, labelsPerJob, interval, minLabels, checkInterval, dataSelection,
                windowTriggers, validationFraction, validationSalt, baseModel, sharedHead, baseSeed, grid, jobSerde,
                capacity, events, 0);
    }

    public PlannerSettings {
        Objects.requireNonNull(labelsTopic, "labelsTopic");
        Objects.requireNonNull(jobsTopic, "jobsTopic");
        JobIdentity.requireAverageName(average);
        if (labelsPerJob < 1) {
            throw new IllegalArgumentException("labels per job must be >= 1, got " + labelsPerJob);
        }
        if (minLabels < 1) {
            throw new IllegalArgumentException("min labels must be >= 1, got " + minLabels);
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be > 0, got " + interval);
        }
        if (checkInterval == null || checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("check interval must be > 0, got " + checkInterval);
        }
        Objects.requireNonNull(dataSelection, "dataSelection");
        if (windowTriggers < 1) {
            throw new IllegalArgumentException("window triggers must be >= 1, got " + windowTriggers);
        }
        new Holdout(validationFraction, validationSalt); // validates the fraction
        validationSalt = validationSalt == null ? "" : validationSalt;
        if (baseModel == null || baseModel.isBlank()) {
            throw new IllegalArgumentException("base model must be named");
        }
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(jobSerde, "jobSerde");
        Objects.requireNonNull(capacity, "capacity");
        events = events == null ? PlannerEvents.NONE : events;
        if (refitFactor != 0 && !(refitFactor > 1)) {
            // at 1 or below every job would start a generation, and no average would ever have two members
            throw new IllegalArgumentException("refit factor must be 0 (no generations) or > 1, got " + refitFactor);
        }
    }

    /** These settings with generations refitted at {@code factor} (0: never). */
    public PlannerSettings withRefitFactor(double factor) {
        return new PlannerSettings(labelsTopic, jobsTopic, average, labelsPerJob, interval, minLabels, checkInterval,
                dataSelection, windowTriggers, validationFraction, validationSalt, baseModel, sharedHead, baseSeed,
                grid, jobSerde, capacity, events, factor);
    }

    /** Segments the state keeps: enough for the window, at least one. */
    int keptSegments() {
        return dataSelection == DataSelection.NEWEST_WINDOW ? windowTriggers : 1;
    }
}
