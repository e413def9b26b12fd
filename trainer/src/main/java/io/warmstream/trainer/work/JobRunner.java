package io.warmstream.trainer.work;

import io.warmstream.events.OffsetRange;
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
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.DependencyOutages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * Runs one {@link TrainingJob}: reads its labels back, splits off the held-out ones, takes the shared LP-FT head,
 * fine-tunes a fresh reward model from the shared base with the job's seed and hyperparameters, evaluates it on
 * the held-out labels, and has {@link ResultWriter} store the model. How a run fails is decided here
 * ({@link #run}: failed, to run again, or cancelled); publishing the outcome and committing the job are the worker's
 * business ({@link JobEndings}); this class only emits STARTED and PROGRESS events.
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
    private final ResultWriter results;

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
        this.results = new ResultWriter(workerId, device(), precision(), this.workDir,
                new PatientStoreWriter(store, storeRetry, status));
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
        JobLabels labels = JobLabels.read(reader, job, cancel);
        List<PreferencePair> train = labels.train();
        List<PreferencePair> validation = labels.validation();
        TrainingConfig cfg = TrainingConfigs.of(job, train.size(), compute);
        FeatureCaches.Choice features = chooseFeatureCache(job, base, cfg);
        FrozenPrefixCache prefix = features.cache();

        if (job.getSharedHead() != null) {
            status.phase("shared head");
            List<OffsetRange> headRanges = job.getSharedHeadRanges().isEmpty() ? job.getRanges() : job.getSharedHeadRanges();
            try {
                base = base.withHead(heads.obtain(job.getSharedHead(), base,
                        () -> headRanges.equals(job.getRanges()) ? train : labels.trainingPairs(reader, headRanges, cancel),
                        cfg,
                        prefix,
                        cancel::cancelled));
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
                LOG.info("{}", JobProgressBar.of(id, p, (System.nanoTime() - trainStart) / 1e9));
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
            int scoredAt = prefix != null ? prefix.maxLength() : trained.model().maxLength();
            return results.store(new ResultWriter.Run(job, trained, labels.data(), train.size(), eval, scoredAt,
                    featureCaches.facts(features), steps, finalLoss, started), cancel);
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

    private static void requireFiniteWeights(TrainedModel trained) {
        for (NamedTensor t : trained.model().tensors()) {
            for (float v : t.data()) {
                if (!Float.isFinite(v)) {
                    throw new JobFailure("training diverged: tensor " + t.name() + " holds " + v);
                }
            }
        }
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
