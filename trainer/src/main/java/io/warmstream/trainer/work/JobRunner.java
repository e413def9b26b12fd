package io.warmstream.trainer.work;

import io.warmstream.events.Hyperparameters;
import io.warmstream.events.OffsetRange;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.Evaluation;
import io.warmstream.model.FrozenPrefixCache;
import io.warmstream.model.PreferencePair;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.StoreUnavailableException;
import io.warmstream.model.train.RewardModelTrainer;
import io.warmstream.model.train.TrainedModel;
import io.warmstream.model.train.TrainingConfig;
import io.warmstream.model.train.TrainingListener;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import io.warmstream.schemas.Holdout;
import io.warmstream.trainer.plan.JobIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs one {@link TrainingJob}: reads its labels back, splits off the held-out ones, takes the shared LP-FT head,
 * fine-tunes a fresh reward model from the shared base with the job's seed and hyperparameters, evaluates it on
 * the held-out labels, writes the model directory and puts it into the checkpoint store. Publishing the outcome
 * and committing the job are the worker's business; this class only emits STARTED and PROGRESS events.
 *
 * <p>A job that trains only top layers takes the frozen bottom's output from the worker's {@link FeatureCaches}
 * (head fit, training and evaluation), computed once per label and kept across jobs; other jobs run the whole
 * network.
 *
 * <p>Runs on the worker's single training thread; {@link CancelToken} stops it between steps.
 */
public final class JobRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final String workerId;
    private final Compute compute;
    private final CheckpointStore store;
    private final JobDataReader reader;
    private final WorkDir workDir;
    private final SharedHeads heads;
    private final int progressEvery;
    private final Consumer<TrainingRunEvent> events;
    private final WorkerStatus status;
    private final FeatureCaches featureCaches;
    private final RewardModelTrainer trainer = new RewardModelTrainer();
    private final PatientStoreWriter writer;

    public JobRunner(String workerId, Compute compute, CheckpointStore store, JobDataReader reader, Path workDir,
                     int progressEvery, Consumer<TrainingRunEvent> events, WorkerStatus status,
                     FeatureCacheSettings featureCache, Backoff storeRetry) {
        this.workerId = workerId;
        this.compute = compute;
        this.store = store;
        this.reader = reader;
        this.workDir = new WorkDir(workDir);
        this.heads = new SharedHeads(store, this.workDir);
        this.progressEvery = progressEvery;
        this.events = events;
        this.status = status;
        this.featureCaches = new FeatureCaches(featureCache, compute);
        this.writer = new PatientStoreWriter(store, storeRetry, status);
    }

    /** "cpu" or "gpu:N". */
    public String device() {
        return compute.deviceName();
    }

    /** "fp32" or "fp16". */
    public String precision() {
        return compute.precision().name().toLowerCase(Locale.ROOT);
    }

    public JobResult run(TrainingJob job, CancelToken cancel) {
        long started = System.nanoTime();
        String id = job.getJobId();
        status.begin(id);
        events.accept(RunEvents.started(job, workerId, device()));
        LOG.info("job {}: started on {} ({}), {} labels in {} range(s), lr {}, dropout {}, seed {}", id, device(),
                precision(), job.getLabelCount(), job.getRanges().size(), job.getHyperparameters().getLearningRate(),
                job.getHyperparameters().getDropout(), job.getSeed());
        try {
            return train(job, cancel, started);
        } catch (CancellationException e) {
            LOG.info("job {}: cancelled ({})", id, e.getMessage());
            return new JobResult.Cancelled(e.getMessage());
        } catch (JobFailure e) {
            LOG.warn("job {}: FAILED: {}", id, e.getMessage(), e.getCause());
            return new JobResult.Failed(e.getMessage(), millisSince(started));
        } catch (DataGoneException e) {
            LOG.warn("job {}: FAILED: {}", id, e.getMessage());
            return new JobResult.Failed(e.getMessage(), millisSince(started));
        } catch (RegistryUnavailableException e) {
            LOG.warn("job {}: will run again: {}", id, e.getMessage());
            return new JobResult.Retry(e.getMessage());
        } catch (StoreUnavailableException e) {
            // The shared head it starts from could not be fetched: the store's fault, not the job's.
            status.outages().down(DependencyOutages.Dependency.STORE, e.getMessage());
            LOG.warn("job {}: will run again, the checkpoint store is unreachable: {}", id, e.getMessage());
            return new JobResult.Retry(e.getMessage());
        } catch (RuntimeException e) {
            if (cancel.cancelled()) {
                return new JobResult.Cancelled("cancelled (" + e + ")");
            }
            LOG.warn("job {}: FAILED: training blew up", id, e);
            return new JobResult.Failed("training failed: " + e, millisSince(started));
        }
    }

    private JobResult train(TrainingJob job, CancelToken cancel, long started) throws DataGoneException {
        String id = job.getJobId();
        status.phase("loading base");
        BaseModel base = loadBase(job);

        status.phase("reading labels");
        JobDataReader.JobData data = reader.read(job.getRanges(), cancel::cancelled);
        if (data.labels().size() != job.getLabelCount()) {
            LOG.warn("job {}: read {} labels ({} undecodable) where the planner counted {}", id, data.labels().size(),
                    data.undecodable(), job.getLabelCount());
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
        TrainingConfig cfg = trainingConfig(job, train.size());
        FeatureCaches.Choice features = chooseFeatureCache(job, base, cfg);
        FrozenPrefixCache prefix = features.cache();

        if (job.getSharedHead() != null) {
            status.phase("shared head");
            List<OffsetRange> headRanges = job.getSharedHeadRanges().isEmpty() ? job.getRanges() : job.getSharedHeadRanges();
            try {
                base = base.withHead(heads.obtain(job.getSharedHead(), base,
                        () -> headRanges.equals(job.getRanges()) ? train : trainingPairs(headRanges, holdout, cancel), cfg,
                        prefix));
            } catch (DataGoneException e) {
                throw new JobFailure("shared head " + job.getSharedHead() + " is not stored and its labels are gone: "
                        + e.getMessage());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new JobFailure("shared head " + job.getSharedHead() + " is unusable: " + e.getMessage(), e);
            }
        }

        status.phase("training");
        long trainStart = System.nanoTime();
        TrainingListener listener = p -> {
            if (cancel.cancelled()) {
                throw new CancellationException("cancelled at step " + p.step() + " of " + p.totalSteps());
            }
            if (!Double.isFinite(p.loss()) && !compute.halfPrecision()) {
                throw new JobFailure("training diverged: loss is " + p.loss() + " at step " + p.step());
            }
            status.progress(p);
            if (p.step() % progressEvery == 0 || p.step() == p.totalSteps()) {
                events.accept(RunEvents.progress(id, workerId, device(), p));
                LOG.info("{}", ProgressLine.of(id, p, (System.nanoTime() - trainStart) / 1e9));
            }
        };
        try (TrainedModel trained = trainer.train(base, train, cfg, listener, prefix)) {
            double finalLoss = ((Number) trained.facts().getOrDefault("final_loss", Double.NaN)).doubleValue();
            int steps = ((Number) trained.facts().getOrDefault("steps", cfg.totalSteps(train.size()))).intValue();
            if (!Double.isFinite(finalLoss)) {
                throw new JobFailure("training diverged: final loss is " + finalLoss);
            }
            requireFiniteWeights(trained);

            status.phase("evaluating");
            Evaluation eval = validation.isEmpty() ? new Evaluation(0, Double.NaN, Double.NaN, Double.NaN)
                    : prefix != null ? prefix.evaluate(trained.model(), validation)
                    : trained.model().evaluate(validation);
            if (!validation.isEmpty() && !Double.isFinite(eval.meanLoss())) {
                throw new JobFailure("training diverged: validation loss is " + eval.meanLoss());
            }
            if (cancel.cancelled()) {
                throw new CancellationException("cancelled before storing the model");
            }

            status.phase("storing");
            long durationMs = millisSince(started);
            Path dir = workDir.fresh(id);
            try {
                int scoredAt = prefix != null ? prefix.maxLength() : trained.model().maxLength();
                Map<String, Object> facts = facts(job, trained, data, train.size(), eval, scoredAt, durationMs);
                facts.put("feature_cache", featureCaches.facts(features));
                trained.model().save(dir, facts);
                String sha = ModelDirectory.readManifest(dir).weightsSha256();
                URI uri = writer.put(id, JobIdentity.checkpointKey(job.getAverage(), id), dir, cancel);
                RewardModelCheckpoint checkpoint = checkpoint(job, uri, sha, trained, eval, train.size(), durationMs,
                        data.newestRecordMillis(), started);
                LOG.info("job {}: trained {} steps on {} pairs, held-out accuracy {} on {} labels, stored at {} ({} s)",
                        id, steps, train.size(), String.format(Locale.ROOT, "%.3f", eval.accuracy()), eval.pairs(),
                        uri, String.format(Locale.ROOT, "%.1f", durationMs / 1e3));
                return new JobResult.Finished(checkpoint, steps, finalLoss);
            } finally {
                workDir.delete(dir);
            }
        }
    }

    /**
     * The job's frozen-bottom cache: with top layers only trainable, training, the head fit and evaluation run the
     * top from cached hidden states. The cache refuses bottoms other than its own, so a cache that does not fit
     * (an init checkpoint trained in full) means the whole network runs, as it always does for full fine-tuning.
     */
    private FeatureCaches.Choice chooseFeatureCache(TrainingJob job, BaseModel trainFrom, TrainingConfig cfg) {
        FeatureCaches.Choice choice;
        try {
            BaseModel base = job.getInitCheckpoint() == null ? trainFrom : BaseModels.byName(job.getBaseModel());
            choice = featureCaches.forJob(base, trainFrom, job.getInitCheckpoint() != null, cfg);
        } catch (RuntimeException e) {
            // A cache is an optimisation: whatever keeps it from opening, the whole network still trains the job.
            LOG.warn("job {}: feature cache unavailable, training through the whole network", job.getJobId(), e);
            choice = new FeatureCaches.Choice(null, "unavailable: " + e, null);
        }
        if (!choice.used()) {
            LOG.info("job {}: no feature cache: {}", job.getJobId(), choice.reason());
        }
        return choice;
    }

    private BaseModel loadBase(TrainingJob job) {
        String source = job.getInitCheckpoint() != null ? job.getInitCheckpoint() : job.getBaseModel();
        try {
            if (job.getInitCheckpoint() != null) {
                Path head = store.fetch(heads.resolve(job.getInitCheckpoint()));
                status.outages().up(DependencyOutages.Dependency.STORE);
                return BaseModels.fromDirectory(head);
            }
            return BaseModels.byName(job.getBaseModel());
        } catch (StoreUnavailableException e) {
            throw e; // an outage: the job runs again later
        } catch (RuntimeException e) {
            throw new JobFailure("base model '" + source + "' does not load: " + e.getMessage(), e);
        }
    }

    private List<PreferencePair> trainingPairs(List<OffsetRange> ranges, Holdout holdout, CancelToken cancel)
            throws DataGoneException {
        List<PreferencePair> out = new ArrayList<>();
        for (PreferenceLabel l : reader.read(ranges, cancel::cancelled).labels()) {
            if (!holdout.isHeldOut(l.getId())) {
                out.add(pair(l));
            }
        }
        return out;
    }

    /** The job's hyperparameters as a training config: steps = epochs over the data, capped by maxSteps. */
    TrainingConfig trainingConfig(TrainingJob job, int trainPairs) {
        Hyperparameters hp = job.getHyperparameters();
        try {
            int batch = hp.getBatchSize();
            int steps = hp.getEpochs() * ((trainPairs + batch - 1) / batch);
            if (hp.getMaxSteps() != null) {
                steps = Math.min(steps, hp.getMaxSteps());
            }
            TrainingConfig.Builder b = TrainingConfig.builder().seed(job.getSeed()).learningRate(hp.getLearningRate())
                    .dropout(hp.getDropout()).weightDecay(hp.getWeightDecay()).batchSize(batch)
                    .maxLength(hp.getMaxSequenceLength()).trainableTopLayers(hp.getTrainableLayers())
                    .epochs(hp.getEpochs()).maxSteps(Math.max(1, steps)).rewardCenteringWeight(hp.getRewardCentering())
                    .compute(compute);
            Map<String, String> extra = hp.getExtra();
            if (extra.containsKey("warmup_ratio")) {
                b.warmupRatio(Double.parseDouble(extra.get("warmup_ratio")));
            }
            if (extra.containsKey("max_grad_norm")) {
                b.maxGradNorm(Double.parseDouble(extra.get("max_grad_norm")));
            }
            if (extra.containsKey("probe_l2")) {
                b.probeL2(Double.parseDouble(extra.get("probe_l2")));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new JobFailure("bad hyperparameters: " + e.getMessage(), e);
        }
    }

    private static void requireFiniteWeights(TrainedModel trained) {
        for (NamedTensor t : trained.model().tensors()) {
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new JobFailure("training diverged: tensor " + t.name() + " holds " + v);
                }
            }
        }
    }

    private Map<String, Object> facts(TrainingJob job, TrainedModel trained, JobDataReader.JobData data, int trainCount,
                                      Evaluation eval, int scoredAtTokens, long durationMs) {
        Map<String, Object> f = new LinkedHashMap<>(trained.facts());
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", job.getJobId());
        j.put("average", job.getAverage());
        j.put("seed", job.getSeed());
        j.put("base_model", job.getBaseModel());
        j.put("data_selection", job.getDataSelection());
        j.put("ranges", job.getRanges().stream().map(r -> Map.of("topic", r.getTopic(), "partition", r.getPartition(),
                "start", r.getStartOffset(), "end", r.getEndOffset())).toList());
        j.put("label_count", job.getLabelCount());
        j.put("labels_read", data.labels().size());
        j.put("undecodable", data.undecodable());
        j.put("train_count", trainCount);
        if (job.getSharedHead() != null) {
            j.put("shared_head", job.getSharedHead());
        }
        f.put("job", j);
        f.put("hyperparameters", hyperparameterFacts(job.getHyperparameters()));
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("fraction", job.getValidationFraction());
        // The salt is a secret (it decides which ids are held out) and this file leaves through exports: a fingerprint.
        v.put("salt_fingerprint", Holdout.saltFingerprint(job.getValidationSalt()));
        v.put("count", eval.pairs());
        v.put("accuracy", eval.accuracy());
        v.put("loss", eval.meanLoss());
        v.put("max_length", scoredAtTokens);
        f.put("validation", v);
        f.put("device", device());
        f.put("precision", precision());
        f.put("duration_ms", durationMs);
        f.put("worker", workerId);
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

    private RewardModelCheckpoint checkpoint(TrainingJob job, URI uri, String sha, TrainedModel trained, Evaluation eval,
                                             int trainCount, long durationMs, long newestLabelMillis, long startedNanos) {
        Instant startedAt = Instant.now().minusNanos(System.nanoTime() - startedNanos);
        return RewardModelCheckpoint.newBuilder()
                .setJobId(job.getJobId())
                .setAverage(job.getAverage())
                .setUri(uri.toString())
                .setSha256(sha)
                .setLineage(trained.model().lineage().id())
                .setBaseModel(job.getBaseModel())
                .setSeed(job.getSeed())
                .setHyperparameters(job.getHyperparameters())
                .setValidationAccuracy(eval.accuracy())
                .setValidationLoss(eval.meanLoss())
                .setValidationCount(eval.pairs())
                .setTrainCount(trainCount)
                .setRanges(job.getRanges())
                .setDevice(device())
                .setPrecision(precision())
                .setDurationMs(durationMs)
                .setWorker(workerId)
                .setCreatedAt(Instant.now())
                .setNewestLabelAt(newestLabelMillis > 0 ? Instant.ofEpochMilli(newestLabelMillis) : null)
                .setJobCreatedAt(job.getCreatedAt())
                .setTrainingStartedAt(startedAt)
                .setGeneration(job.getGeneration())
                .build();
    }

    private static PreferencePair pair(PreferenceLabel l) {
        return new PreferencePair(l.getPrompt(), l.getChosen(), l.getRejected());
    }

    /** Closes the feature caches (their models' memory); call once the training thread is done. */
    @Override
    public void close() {
        featureCaches.close();
    }

    private static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
