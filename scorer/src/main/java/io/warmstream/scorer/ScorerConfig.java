package io.warmstream.scorer;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.Compute;
import io.warmstream.platform.Backoff;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import io.warmstream.scorer.batching.BatchSettings;
import io.warmstream.scorer.onnx.OnnxRewardFunction;
import io.warmstream.scorer.serving.ModelUpdater;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The scorer's settings, read once from Micronaut's environment. Defaults live in
 * {@code warmstream/scorer/application.yml}; every key can be overridden by environment variables
 * ({@code WARM_KAFKA_BOOTSTRAP_SERVERS}, {@code WARM_STORE_LOCATION}, {@code WARM_SCORER_...}) or properties.
 */
@Singleton
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ScorerConfig {

    public static final String ENABLED = "warm.scorer.enabled";

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
    private final int maxBatch;
    private final String maxWait;
    private final int tokenBudget;
    private final Duration deadline;
    private final int modelThreads;
    private final ModelUpdater.EnsembleSettings ensemble;
    private final String modelsTopic;
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

    public ScorerConfig(Environment env) {
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        this.storeLocation = env.getProperty("warm.store.location", String.class).filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException("warm.store.location must be set (environment variable WARM_STORE_LOCATION)"));
        this.modelSigningKeyFile = env.getProperty(ModelSigningKeys.SETTING, String.class, "");
        this.average = env.getProperty("warm.scorer.average", String.class, "default");
        this.device = env.getProperty("warm.scorer.device", String.class, "auto");
        this.precision = env.getProperty("warm.scorer.precision", String.class, "fp32");
        this.torchThreads = env.getProperty("warm.scorer.torch-threads", Integer.class, 0);
        this.runtime = env.getProperty("warm.scorer.runtime", String.class, "auto");
        this.onnxThreads = env.getProperty("warm.scorer.onnx.threads", Integer.class, 0);
        this.onnxSpinning = env.getProperty("warm.scorer.onnx.spinning", Boolean.class, false);
        this.provisionTopics = env.getProperty("warm.scorer.provision-topics", Boolean.class, true);
        this.closeTimeout = env.getProperty("warm.scorer.close-timeout", Duration.class, Duration.ofSeconds(10));
        this.maxItems = positive("warm.scorer.limits.max-items", env.getProperty("warm.scorer.limits.max-items", Integer.class, 256));
        this.maxChars = positive("warm.scorer.limits.max-chars", env.getProperty("warm.scorer.limits.max-chars", Integer.class, 16_384));
        this.maxBatch = env.getProperty("warm.scorer.batching.max-batch", Integer.class, 0);
        this.maxWait = env.getProperty("warm.scorer.batching.max-wait", String.class, "auto").trim();
        if (env.getProperty("warm.scorer.batching.queue-capacity", String.class).isPresent()) {
            throw new IllegalStateException("warm.scorer.batching.queue-capacity (items) is gone: admission counts padded "
                    + "tokens now; set warm.scorer.batching.token-budget (WARM_SCORER_TOKEN_BUDGET) instead");
        }
        this.tokenBudget = positive("warm.scorer.batching.token-budget",
                env.getProperty("warm.scorer.batching.token-budget", Integer.class, 131_072));
        this.deadline = env.getProperty("warm.scorer.limits.deadline", Duration.class, Duration.ofSeconds(30));
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalStateException("warm.scorer.limits.deadline must be > 0, got " + deadline);
        }
        this.modelThreads = env.getProperty("warm.scorer.batching.threads", Integer.class, 2);
        this.ensemble = new ModelUpdater.EnsembleSettings(env.getProperty("warm.scorer.ens.enabled", Boolean.class, false),
                env.getProperty("warm.scorer.ens.max-members", Integer.class, 8));
        this.modelsTopic = env.getProperty("warm.scorer.follower.topic", String.class, Topics.MODELS);
        this.streamEnabled = env.getProperty("warm.scorer.stream.enabled", Boolean.class, true);
        this.applicationId = env.getProperty("warm.scorer.stream.application-id", String.class, "warm-scorer");
        this.streamThreads = env.getProperty("warm.scorer.stream.threads", Integer.class, 3);
        this.stateDir = dir(env.getProperty("warm.scorer.stream.state-dir", String.class, ""), "warm-scorer-state");
        this.streamsOverrides = Map.copyOf(env.getProperties("warm.scorer.stream.streams", StringConvention.RAW));
        this.exportCacheDir = dir(env.getProperty("warm.scorer.export.cache-dir", String.class, ""), "warm-scorer-exports");
        this.exportKeep = env.getProperty("warm.scorer.export.keep", Integer.class, 4);
        this.keepVersions = positive("warm.scorer.versions.keep", env.getProperty("warm.scorer.versions.keep", Integer.class, 3));
        this.versionsMaxMemory = env.getProperty("warm.scorer.versions.max-memory", Long.class, 2_147_483_648L);
        this.maxLambda = env.getProperty("warm.scorer.uncertainty.max-lambda", Double.class, 10.0);
        this.defaultLambda = env.getProperty("warm.scorer.uncertainty.default-lambda", Double.class, 1.0);
        if (!(maxLambda >= 0) || !(defaultLambda >= 0) || defaultLambda > maxLambda) {
            throw new IllegalStateException("warm.scorer.uncertainty: need 0 <= default-lambda <= max-lambda, got "
                    + defaultLambda + " and " + maxLambda);
        }
        this.querySeparator = env.getProperty("warm.scorer.compat.query-separator", String.class, "");
        this.loadRetry = new Backoff(env.getProperty("warm.scorer.load-retry-backoff", Duration.class, Duration.ofSeconds(1)),
                env.getProperty("warm.scorer.load-retry-backoff-max", Duration.class, Duration.ofSeconds(30)));
        this.streamScoreTimeout = env.getProperty("warm.scorer.stream.score-timeout", Duration.class, Duration.ofSeconds(10));
        this.streamTransactionTimeout = env.getProperty("warm.scorer.stream.transaction-timeout", Duration.class,
                Duration.ofSeconds(60));
        if (streamScoreTimeout.isNegative() || streamScoreTimeout.isZero()
                || streamScoreTimeout.multipliedBy(2).compareTo(streamTransactionTimeout) > 0) {
            throw new IllegalStateException("warm.scorer.stream.score-timeout (" + streamScoreTimeout + ") must be positive "
                    + "and at most half of warm.scorer.stream.transaction-timeout (" + streamTransactionTimeout
                    + "): a stream record waits for its reward inside its task's open transaction");
        }
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
    public int tokenBudget() { return tokenBudget; }
    /** Time from admission to answer for a scoring request; then its unscored items are dropped. */
    public Duration deadline() { return deadline; }
    public ModelUpdater.EnsembleSettings ensemble() { return ensemble; }
    public String modelsTopic() { return modelsTopic; }
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
        int batch = maxBatch > 0 ? maxBatch : gpu ? 256 : 32;
        Duration wait = maxWait.isEmpty() || maxWait.equalsIgnoreCase("auto") ? Duration.ofMillis(gpu ? 2 : 0)
                : parseDuration(maxWait);
        return new BatchSettings(batch, wait, tokenBudget, modelThreads, deadline);
    }

    /** "5ms", "1s", "250us" or an ISO-8601 duration ("PT0.005S"). */
    static Duration parseDuration(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*(us|ms|s)").matcher(s.toLowerCase(java.util.Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "us" -> Duration.ofNanos(n * 1000);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("warm.scorer.batching.max-wait must be auto or a duration like 2ms, got \"" + s + "\"");
        }
    }

    private static Path dir(String configured, String defaultName) {
        return configured.isBlank() ? Path.of(System.getProperty("java.io.tmpdir"), defaultName) : Path.of(configured);
    }

    private static int positive(String key, int v) {
        if (v < 1) {
            throw new IllegalStateException(key + " must be >= 1, got " + v);
        }
        return v;
    }
}
