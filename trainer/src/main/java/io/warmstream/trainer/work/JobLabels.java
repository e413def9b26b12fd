package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.TrainingJob;
import io.warmstream.model.PreferencePair;
import io.warmstream.schemas.Holdout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's labels read back from Kafka and split by the job's hold-out into training and validation pairs.
 *
 * @param data the labels as read (with the count of undecodable records and the newest record's time)
 */
record JobLabels(JobDataReader.JobData data, Holdout holdout, List<PreferencePair> train,
                 List<PreferencePair> validation) {

    private static final Logger LOG = LoggerFactory.getLogger(JobLabels.class);

    /** Reads the job's ranges; a job left with no training label fails ({@link JobFailure}). */
    static JobLabels read(JobDataReader reader, TrainingJob job, CancelToken cancel) throws DataGoneException {
        JobDataReader.JobData data = reader.read(job.getRanges(), cancel::cancelled);
        if (data.labels().size() != job.getLabelCount()) {
            LOG.warn("job {}: read {} labels ({} undecodable) where the planner counted {}", job.getJobId(),
                    data.labels().size(), data.undecodable(), job.getLabelCount());
        }
        Holdout holdout = new Holdout(job.getValidationFraction(), job.getValidationSalt());
        List<PreferencePair> train = new ArrayList<>();
        List<PreferencePair> validation = new ArrayList<>();
        for (PreferenceLabel l : data.labels()) {
            (holdout.isHeldOut(l.getId()) ? validation : train).add(pair(l));
        }
        if (train.isEmpty()) {
            throw new JobFailure("no training labels: the job's ranges hold " + data.labels().size()
                    + " decodable labels, all held out or none at all");
        }
        return new JobLabels(data, holdout, train, validation);
    }

    /** The training pairs of other ranges under the same hold-out (a shared head's, when not the job's own). */
    List<PreferencePair> trainingPairs(JobDataReader reader, List<OffsetRange> ranges, CancelToken cancel)
            throws DataGoneException {
        List<PreferencePair> out = new ArrayList<>();
        for (PreferenceLabel l : reader.read(ranges, cancel::cancelled).labels()) {
            if (!holdout.isHeldOut(l.getId())) {
                out.add(pair(l));
            }
        }
        return out;
    }

    private static PreferencePair pair(PreferenceLabel l) {
        return new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected());
    }
}
