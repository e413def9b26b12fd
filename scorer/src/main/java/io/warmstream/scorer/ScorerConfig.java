package io.warmstream.scorer;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.Compute;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.scorer.batching.BatchSettings;
import io.warmstream.scorer.config.AdmissionSettings;
import io.warmstream.scorer.config.BatchingSettings;
import io.warmstream.scorer.config.DriftBeans;
import io.warmstream.scorer.config.EnsSettings;
import io.warmstream.scorer.config.ScorerSettings;
import io.warmstream.scorer.config.StreamSettings;
import io.warmstream.scorer.config.UncertaintySettings;
import io.warmstream.scorer.config.VersionsSettings;
import io.warmstream.scorer.onnx.OnnxRewardFunction;
import io.warmstream.scorer.serving.ModelUpdater;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The scorer's settings in the form its parts use: the shared Kafka layer's ({@link KafkaSettings}), the keys shared
 * with other services (the store, the model signing key file) and the scorer's own {@code @ConfigurationProperties}
 * beans ({@code io.warmstream.scorer.config}), each checked at start. Defaults live only in
 * {@code warmstream/scorer/application.yml}; every key can be overridden by environment variables
 * ({@code WARM_KAFKA_BOOTSTRAP_SERVERS}, {@code WARM_STORE_LOCATION}, {@code WARM_SCORER_...}) or properties.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ScorerConfig {

    public static final String ENABLED = "warm.scorer.enabled";
    static final String STORE = "warm.store.location";
    /** A key that no longer works: start fails naming its replacement. */
    static final String GONE_QUEUE_CAPACITY = "warm.scorer.batching.queue-capacity";

    private final KafkaSettings kafka;
    private final String storeLocation;
    private final String modelSigningKeyFile;
    private final String average;
    private final String device;
    private final String precision;
    private final int torchThreads;
    private final String runtime;
    private final int onnxThreads;
    private final boolean onnxSpinning;
    private final boolean provisionTopics;
    private final Duration closeTimeout;
    private final int maxItems;
    private final int maxChars;
    private final BatchingSettings batching;
    private final Duration deadline;
    private final ModelUpdater.EnsembleSettings ensemble;
    private final String modelsTopic;
    private final boolean preloadCandidates;
    private final boolean streamEnabled;
    private final String applicationId;
    private final int streamThreads;
    private final Path stateDir;
    private final Map<String, Object> streamsOverrides;
    private final Path exportCacheDir;
    private final int exportKeep;
    private final int keepVersions;
    private final long versionsMaxMemory;
    private final double defaultLambda;
    private final double maxLambda;
    private final String querySeparator;
    private final Backoff loadRetry;
    private final Duration streamScoreTimeout;
    private final Duration streamTransactionTimeout;

    /** The scorer's own beans, one per concern ({@code drift} only so it is checked at start; DriftConfig uses it). */
    @Singleton
    @Requires(property = ScorerConfig.ENABLED, value = "true")
    public record Beans(ScorerSettings scorer, ScorerSettings.Onnx onnx, ScorerSettings.Follower follower,
                        ScorerSettings.Export export, ScorerSettings.Compat compat, AdmissionSettings limits,
                        BatchingSettings batching, EnsSettings ens, VersionsSettings versions,
                        UncertaintySettings uncertainty, StreamSettings stream, DriftBeans drift) {
    }

    public ScorerConfig(Environment env, Beans beans,
                        @Nullable @Property(name = STORE) String storeLocation,
                        @Nullable @Property(name = ModelSigningKeys.SETTING) String modelSigningKeyFile,
                        @Nullable @Property(name = GONE_QUEUE_CAPACITY) String queueCapacity) {
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        if (storeLocation == null || storeLocation.isBlank()) {
            throw new IllegalStateException(STORE + " must be set (environment variable WARM_STORE_LOCATION)");
        }
        if (queueCapacity != null) {
            throw new IllegalStateException(GONE_QUEUE_CAPACITY + " (items) is gone: admission counts padded "
                    + "tokens now; set warm.scorer.batching.token-budget (WARM_SCORER_TOKEN_BUDGET) instead");
        }
        this.storeLocation = storeLocation;
        this.modelSigningKeyFile = modelSigningKeyFile == null ? "" : modelSigningKeyFile;
        ScorerSettings scorer = beans.scorer();
        this.average = scorer.getAverage();
        this.device = scorer.getDevice();
        this.precision = scorer.getPrecision();
        this.torchThreads = scorer.getTorchThreads();
        this.runtime = scorer.getRuntime();
        this.onnxThreads = beans.onnx().getThreads();
        this.onnxSpinning = beans.onnx().getSpinning();
        this.provisionTopics = scorer.getProvisionTopics();
        this.closeTimeout = scorer.getCloseTimeout();
        this.maxItems = beans.limits().getMaxItems();
        this.maxChars = beans.limits().getMaxChars();
        this.deadline = beans.limits().getDeadline();
        this.batching = beans.batching();
        this.ensemble = new ModelUpdater.EnsembleSettings(beans.ens().getEnabled(), beans.ens().getMaxMembers());
        this.modelsTopic = beans.follower().getTopic();
        this.preloadCandidates = beans.follower().getPreloadCandidates();
        StreamSettings stream = beans.stream();
        this.streamEnabled = stream.getEnabled();
        this.applicationId = stream.getApplicationId();
        this.streamThreads = stream.getThreads();
        this.stateDir = stream.stateDirPath();
        this.streamsOverrides = stream.getStreams();
        String cacheDir = beans.export().getCacheDir();
        this.exportCacheDir = cacheDir.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), "warm-scorer-exports")
                : Path.of(cacheDir);
        this.exportKeep = beans.export().getKeep();
        this.keepVersions = beans.versions().getKeep();
        this.versionsMaxMemory = beans.versions().getMaxMemory();
        this.maxLambda = beans.uncertainty().getMaxLambda();
        this.defaultLambda = beans.uncertainty().getDefaultLambda();
        this.querySeparator = beans.compat().getQuerySeparator();
        this.loadRetry = new Backoff(scorer.getLoadRetryBackoff(), scorer.getLoadRetryBackoffMax());
        this.streamScoreTimeout = stream.getScoreTimeout();
        this.streamTransactionTimeout = stream.getTransactionTimeout();
    }

    public KafkaSettings kafka() { return kafka; }
    public String storeLocation() { return storeLocation; }
    /** {@code warm.security.model-signing-key-file}; blank: model directories unauthenticated. */
    public String modelSigningKeyFile() { return modelSigningKeyFile; }
    public String average() { return average; }
    public Compute compute() { return Compute.of(device, precision); }
    public int torchThreads() { return torchThreads; }
    /** auto (onnxruntime on CPU, DJL on GPU), djl or onnx. */
    public String runtime() { return runtime; }
    public OnnxRewardFunction.Settings onnxSettings(BatchSettings batching) {
        return new OnnxRewardFunction.Settings(onnxThreads, onnxSpinning, batching.maxBatch());
    }
    public boolean provisionTopics() { return provisionTopics; }
    public Duration closeTimeout() { return closeTimeout; }
    /** Items per request. */
    public int maxItems() { return maxItems; }
    /** Characters (code points) per prompt or response. */
    public int maxChars() { return maxChars; }
    /** Padded tokens admitted and not yet scored, at most. */
    public int tokenBudget() { return batching.getTokenBudget(); }
    /** Time from admission to answer for a scoring request; then its unscored items are dropped. */
    public Duration deadline() { return deadline; }
    public ModelUpdater.EnsembleSettings ensemble() { return ensemble; }
    public String modelsTopic() { return modelsTopic; }
    /** Whether the follower also reads warm.model-candidates and the updater loads candidates ahead. */
    public boolean preloadCandidates() { return preloadCandidates; }
    public boolean streamEnabled() { return streamEnabled; }
    public String applicationId() { return applicationId; }
    public int streamThreads() { return streamThreads; }
    public Path stateDir() { return stateDir; }
    /** Raw Kafka Streams settings ({@code warm.scorer.stream.streams.*}), applied over ours. */
    public Map<String, Object> streamsOverrides() { return streamsOverrides; }
    public Path exportCacheDir() { return exportCacheDir; }
    public int exportKeep() { return exportKeep; }
    /** Versions kept loaded for pinned requests, the serving one included. */
    public int keepVersions() { return keepVersions; }
    /** Estimated bytes of weights all loaded versions (and their ENS members) may take. */
    public long versionsMaxMemory() { return versionsMaxMemory; }
    /** Lambda of the conservative reward (mean - lambda * std) when a request names none, and its upper bound. */
    public double defaultLambda() { return defaultLambda; }
    public double maxLambda() { return maxLambda; }
    /** Where the compatibility endpoints split a whole query string into prompt and response (empty: not at all). */
    public String querySeparator() { return querySeparator; }
    /** Pauses between retries of a version that could not be fetched, or of a registry lookup that went unanswered. */
    public Backoff loadRetry() { return loadRetry; }
    /** How long one stream record may wait for its reward (queue and forward) before it is given back to Kafka. */
    public Duration streamScoreTimeout() { return streamScoreTimeout; }
    /** The stream producers' transaction.timeout.ms: at least twice the score timeout. */
    public Duration streamTransactionTimeout() { return streamTransactionTimeout; }

    /**
     * Batching for the device: max batch 0 means 32 on CPU (latency) and 256 on GPU (throughput); max wait "auto"
     * means 0 on CPU and 2 ms on GPU.
     */
    public BatchSettings batchSettings(Compute compute) {
        boolean gpu = compute.device().isGpu();
        int batch = batching.getMaxBatch() > 0 ? batching.getMaxBatch() : gpu ? 256 : 32;
        Duration wait = batching.isAuto() ? Duration.ofMillis(gpu ? 2 : 0)
                : BatchingSettings.parseDuration(batching.getMaxWait());
        return new BatchSettings(batch, wait, batching.getTokenBudget(), batching.getThreads(), deadline);
    }
}
