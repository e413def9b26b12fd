package io.warmstream.trainer.work;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.model.Evaluation;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.schemas.Holdout;
import io.warmstream.trainer.plan.JobIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stores a trained model: writes its directory with the run's facts (job, hyperparameters, validation, device), puts
 * it into the checkpoint store under the job's key (waiting out an outage, {@link PatientStoreWriter}), and builds
 * the checkpoint event the worker publishes.
 */
final class ResultWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ResultWriter.class);

    /** What the run came to, as the model directory and the checkpoint event record it. */
    record Run(TrainingJob job, TrainedModel trained, JobDataReader.JobData data, int trainCount, Evaluation eval,
               int scoredAtTokens, Object featureCache, int steps, double finalLoss, long startedNanos) {
    }

    private final String workerId;
    private final String device;
    private final String precision;
    private final WorkDir workDir;
    private final PatientStoreWriter writer;

    ResultWriter(String workerId, String device, String precision, WorkDir workDir, PatientStoreWriter writer) {
        this.workerId = workerId;
        this.device = device;
        this.precision = precision;
        this.workDir = workDir;
        this.writer = writer;
    }

    JobResult.Finished store(Run run, CancelToken cancel) {
        TrainingJob job = run.job();
        String id = job.getJobId();
        long durationMs = (System.nanoTime() - run.startedNanos()) / 1_000_000;
        Path dir = workDir.fresh(id);
        try {
            Map<String, Object> facts = facts(run, durationMs);
            run.trained().model().save(dir, facts);
            String sha = ModelDirectory.readManifest(dir).weightsSha256();
            URI uri = writer.put(id, JobIdentity.checkpointKey(job.getAverage(), id), dir, cancel);
            RewardModelCheckpoint checkpoint = checkpoint(run, uri, sha, durationMs);
            LOG.info("job {}: trained {} steps on {} pairs, held-out accuracy {} on {} labels, stored at {} ({} s)",
                    id, run.steps(), run.trainCount(), String.format(Locale.ROOT, "%.3f", run.eval().accuracy()),
                    run.eval().pairs(), uri, String.format(Locale.ROOT, "%.1f", durationMs / 1e3));
            return new JobResult.Finished(checkpoint, run.steps(), run.finalLoss());
        } finally {
            workDir.delete(dir);
        }
    }

    private Map<String, Object> facts(Run run, long durationMs) {
        TrainingJob job = run.job();
        Map<String, Object> f = new LinkedHashMap<>(run.trained().facts());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", job.getJobId());
        j.put("average", job.getAverage());
        j.put("seed", job.getSeed());
        j.put("base_model", job.getBaseModel());
        j.put("data_selection", job.getDataSelection());
        j.put("ranges", job.getRanges().stream().map(r -> Map.of("topic", r.getTopic(), "partition", r.getPartition(),
                "start", r.getStartOffset(), "end", r.getEndOffset())).toList());
        j.put("label_count", job.getLabelCount());
        j.put("labels_read", run.data().labels().size());
        j.put("undecodable", run.data().undecodable());
        j.put("train_count", run.trainCount());
        if (job.getSharedHead() != null) {
            j.put("shared_head", job.getSharedHead());
        }
        f.put("job", j);
        f.put("hyperparameters", hyperparameterFacts(job.getHyperparameters()));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fraction", job.getValidationFraction());
        // The salt is a secret (it decides which ids are held out) and this file leaves through exports: a fingerprint.
        v.put("salt_fingerprint", Holdout.saltFingerprint(job.getValidationSalt()));
        v.put("count", run.eval().pairs());
        v.put("accuracy", run.eval().accuracy());
        v.put("loss", run.eval().meanLoss());
        v.put("max_length", run.scoredAtTokens());
        f.put("validation", v);
        f.put("device", device);
        f.put("precision", precision);
        f.put("duration_ms", durationMs);
        f.put("worker", workerId);
        f.put("feature_cache", run.featureCache());
        return f;
    }

    private static Map<String, Object> hyperparameterFacts(Hyperparameters hp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learning_rate", hp.getLearningRate());
        m.put("dropout", hp.getDropout());
        m.put("weight_decay", hp.getWeightDecay());
        m.put("batch_size", hp.getBatchSize());
        m.put("epochs", hp.getEpochs());
        if (hp.getMaxSteps() != null) {
            m.put("max_steps", hp.getMaxSteps());
        }
        m.put("max_sequence_length", hp.getMaxSequenceLength());
        m.put("trainable_layers", hp.getTrainableLayers());
        m.put("reward_centering", hp.getRewardCentering());
        m.put("extra", new LinkedHashMap<>(hp.getExtra()));
        return m;
    }

    private RewardModelCheckpoint checkpoint(Run run, URI uri, String sha, long durationMs) {
        TrainingJob job = run.job();
        long newestLabelMillis = run.data().newestRecordMillis();
        Instant startedAt = Instant.now().minusNanos(System.nanoTime() - run.startedNanos());
        return RewardModelCheckpoint.newBuilder()
                .setJobId(job.getJobId())
                .setAverage(job.getAverage())
                .setUri(uri.toString())
                .setSha256(sha)
                .setLineage(run.trained().model().lineage().id())
                .setBaseModel(job.getBaseModel())
                .setSeed(job.getSeed())
                .setHyperparameters(job.getHyperparameters())
                .setValidationAccuracy(run.eval().accuracy())
                .setValidationLoss(run.eval().meanLoss())
                .setValidationCount(run.eval().pairs())
                .setTrainCount(run.trainCount())
                .setRanges(job.getRanges())
                .setDevice(device)
                .setPrecision(precision)
                .setDurationMs(durationMs)
                .setWorker(workerId)
                .setCreatedAt(Instant.now())
                .setNewestLabelAt(newestLabelMillis > 0 ? Instant.ofEpochMilli(newestLabelMillis) : null)
                .setJobCreatedAt(job.getCreatedAt())
                .setTrainingStartedAt(startedAt)
                .setGeneration(job.getGeneration())
                .build();
    }
}
