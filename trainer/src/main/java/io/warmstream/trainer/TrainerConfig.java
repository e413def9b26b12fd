package io.warmstream.trainer;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.schemas.Holdout;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.TopicSpec;
import io.warmstream.schemas.Topics;
import io.warmstream.trainer.config.CapacityProperties;
import io.warmstream.trainer.config.GenerationsProperties;
import io.warmstream.trainer.config.GridProperties;
import io.warmstream.trainer.config.HyperparameterProperties;
import io.warmstream.trainer.config.PlannerProperties;
import io.warmstream.trainer.config.TopicProperties;
import io.warmstream.trainer.config.TrainerProperties;
import io.warmstream.trainer.config.WorkerFeatureCacheProperties;
import io.warmstream.trainer.config.WorkerProperties;
import io.warmstream.trainer.plan.CapacitySettings;
import io.warmstream.trainer.plan.DataSelection;
import io.warmstream.trainer.plan.HyperparameterGrid;
import io.warmstream.trainer.plan.PlannerEvents;
import io.warmstream.trainer.plan.PlannerSettings;
import io.warmstream.trainer.work.FeatureCacheSettings;
import io.warmstream.trainer.work.WorkerSettings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import io.warmstream.platform.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The trainer's settings in the form its parts use: the shared Kafka layer's ({@link KafkaSettings}), the keys shared
 * with other services (the store, the model signing key file, {@code warm.holdout.salt}) and the trainer's own
 * {@code @ConfigurationProperties} beans ({@code io.warmstream.trainer.config}), each checked at start. Defaults live
 * only in {@code warmstream/trainer/application.yml} (topic names: the catalogue's); every key can be overridden by an environment variable
 * ({@code WARM_TRAINER_PLANNER_LABELS_PER_JOB}, {@code WARM_TRAINER_WORKER_DEVICE}, ...) or a property.
 *
 * <p>Topic names default to the catalogue's ({@link Topics}); {@code warm.trainer.topics.*} renames them, e.g. to
 * keep test runs apart on a shared broker.
 */
@Singleton
@Requires(property = TrainerConfig.ENABLED, value = "true")
public final class TrainerConfig {

    public static final String ENABLED = "warm.trainer.enabled";
    public static final String PLANNER_ENABLED = "warm.trainer.planner.enabled";
    public static final String WORKER_ENABLED = "warm.trainer.worker.enabled";
    public static final String STORE = "warm.store.location";
    static final String LEGACY_STORE = "warm.trainer.store";
    private static final Logger LOG = LoggerFactory.getLogger(TrainerConfig.class);

    /** The trainer's own beans, one per concern. */
    @Singleton
    @Requires(property = TrainerConfig.ENABLED, value = "true")
    public record Beans(TrainerProperties trainer, TopicProperties topics, PlannerProperties planner,
                        GenerationsProperties generations, CapacityProperties capacity, GridProperties grid,
                        HyperparameterProperties hyperparameters, WorkerProperties worker,
                        WorkerFeatureCacheProperties featureCache) {
    }

    private final KafkaSettings kafka;
    private final Beans beans;
    private final String labelsTopic;
    private final String jobsTopic;
    private final String jobsDeadLetterTopic;
    private final String runsTopic;
    private final String checkpointsTopic;
    private final String store;
    private final String modelSigningKeyFile;
    private final String sharedSalt;
    private final boolean provisionTopics;
    private final Duration closeTimeout;
    private final String workerId;

    public TrainerConfig(Environment env, Beans beans,
                         @Nullable @Property(name = LEGACY_STORE) String legacyStore,
                         @Nullable @Property(name = STORE) String store,
                         @Nullable @Property(name = ModelSigningKeys.SETTING) String modelSigningKeyFile,
                         @Nullable @Property(name = Holdout.SHARED_SALT) String sharedSalt) {
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        this.beans = beans;
        this.labelsTopic = beans.topics().getPreferences();
        this.jobsTopic = beans.topics().getTrainingJobs();
        this.jobsDeadLetterTopic = beans.topics().getTrainingJobsDlq();
        this.runsTopic = beans.topics().getTrainingRuns();
        this.checkpointsTopic = beans.topics().getCheckpoints();
        this.store = storeLocation(legacyStore, store);
        this.modelSigningKeyFile = modelSigningKeyFile == null ? "" : modelSigningKeyFile.trim();
        this.sharedSalt = sharedSalt == null ? "" : sharedSalt.trim();
        this.provisionTopics = beans.trainer().getProvisionTopics();
        this.closeTimeout = beans.trainer().getCloseTimeout();
        String id = beans.worker().getId();
        this.workerId = id.isBlank() ? defaultWorkerId() : id;
    }

    public KafkaSettings kafka() { return kafka; }
    public String labelsTopic() { return labelsTopic; }
    public String jobsTopic() { return jobsTopic; }
    public String checkpointsTopic() { return checkpointsTopic; }
    public String runsTopic() { return runsTopic; }
    /** Checkpoint store location: a directory, a {@code file:} or an {@code s3:} URI (see {@code CheckpointStore.open}). */
    public String store() { return store; }
    /** {@code warm.security.model-signing-key-file}; blank: model directories unauthenticated. */
    public String modelSigningKeyFile() { return modelSigningKeyFile; }
    public boolean provisionTopics() { return provisionTopics; }
    public Duration closeTimeout() { return closeTimeout; }
    public String workerId() { return workerId; }

    /** The topics this service reads and writes, under their configured names, with the catalogue's specs. */
    public List<TopicSpec> topics() {
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(renamed(Topics.PREFERENCES, labelsTopic));
        specs.add(renamed(Topics.TRAINING_JOBS, jobsTopic));
        specs.add(renamed(Topics.TRAINING_JOBS_DLQ, jobsDeadLetterTopic));
        specs.add(renamed(Topics.TRAINING_RUNS, runsTopic));
        specs.add(renamed(Topics.CHECKPOINTS, checkpointsTopic));
        return specs;
    }

    public String plannerApplicationId() {
        return beans.planner().getApplicationId();
    }

    public Path plannerStateDir() {
        return beans.planner().stateDirPath();
    }

    /** Raw Kafka Streams settings ({@code warm.trainer.planner.streams.*}), applied over ours. */
    public Map<String, Object> plannerStreamsOverrides() {
        return beans.planner().getStreams();
    }

    public PlannerSettings plannerSettings(PlannerEvents events) {
        PlannerProperties p = beans.planner();
        HyperparameterProperties h = beans.hyperparameters();
        HyperparameterGrid grid = new HyperparameterGrid(beans.grid().learningRateValues(), beans.grid().dropoutValues(),
                h.getBatchSize(), h.getMaxSequenceLength(), h.getTrainableLayers(), h.getEpochs(), h.maxStepsValue(),
                h.getWeightDecay(), h.getRewardCentering(), h.getExtra());
        return new PlannerSettings(labelsTopic, jobsTopic, p.getAverage(), p.getLabelsPerJob(), p.getInterval(),
                p.getMinLabels(), p.getCheckInterval(), DataSelection.parse(p.getDataSelection()), p.getWindowTriggers(),
                p.getValidationFraction(),
                Holdout.requireSalt(p.getValidationSalt(), sharedSalt, PlannerProperties.PREFIX + ".validation-salt"),
                p.getBaseModel(), p.getSharedHead(), p.getSeed(), grid,
                kafka.serdes().valueSerde(TrainingJob.class),
                capacitySettings(),
                events,
                beans.generations().getRefitFactor());
    }

    /** {@code warm.trainer.planner.capacity.*}: how many jobs may wait for the live workers. */
    public CapacitySettings capacitySettings() {
        CapacityProperties c = beans.capacity();
        return new CapacitySettings(runsTopic, kafka.serdes().valueSerde(TrainingRunEvent.class),
                c.getMaxPendingPerWorker(), c.getMinWorkers(), c.getWorkerTtl(), c.getJobTimeout());
    }

    public WorkerSettings workerSettings() {
        WorkerProperties w = beans.worker();
        String dir = w.getWorkDir();
        Path workDir = dir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-trainer-" + workerId) : Path.of(dir);
        return new WorkerSettings(jobsTopic, jobsDeadLetterTopic, runsTopic, checkpointsTopic,
                w.getGroupId(), workerId, w.getDevice(), w.getPrecision(), w.getProgressEvery(), w.getSupersede(),
                workDir, w.getDataTimeout(), closeTimeout, w.getConsumer(), w.getProducer(), featureCacheSettings(),
                new Backoff(w.getStoreRetryBackoff(), w.getStoreRetryBackoffMax()), w.getNice());
    }

    /** {@code warm.trainer.worker.feature-cache.*}: byte sizes as numbers or with a unit ("1GiB", "512MiB"). */
    FeatureCacheSettings featureCacheSettings() {
        return beans.featureCache().settings();
    }

    private static TopicSpec renamed(String catalogueName, String name) {
        TopicSpec spec = Topics.spec(catalogueName);
        return new TopicSpec(name, spec.partitions(), spec.configs(), spec.valueType());
    }

    /**
     * {@code warm.store.location} (env {@code WARM_STORE_LOCATION}), the key the merger and scorer read too.
     * {@code warm.trainer.store} ({@code WARM_TRAINER_STORE}), this service's former key, still wins when set, so
     * existing deployments keep their store; it logs a warning. Blank: {@code warm-store}, as the application.yml says.
     */
    static String storeLocation(String legacyStore, String store) {
        String legacy = legacyStore == null ? "" : legacyStore.trim();
        if (!legacy.isEmpty()) {
            LOG.warn("{} is deprecated; set warm.store.location (WARM_STORE_LOCATION) instead", LEGACY_STORE);
            return legacy;
        }
        String location = store == null ? "" : store.trim();
        return location.isEmpty() ? "warm-store" : location;
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "-") + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
