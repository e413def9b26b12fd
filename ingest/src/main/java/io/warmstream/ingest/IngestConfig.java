package io.warmstream.ingest;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.ingest.config.HttpSettings;
import io.warmstream.ingest.config.IngestSettings;
import io.warmstream.ingest.config.LabelDefaultsSettings;
import io.warmstream.ingest.config.LimitsSettings;
import io.warmstream.ingest.config.TopologySettings;
import io.warmstream.ingest.rules.LabelRules;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.EventSerdes;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The ingest service's settings in the form its beans use: the shared Kafka layer's ({@link KafkaSettings}) and the
 * service's own {@code @ConfigurationProperties} beans ({@code io.warmstream.ingest.config}), checked at start. Defaults
 * live in {@code warmstream/ingest/application.yml} only; every key can be overridden by environment variables
 * ({@code WARM_KAFKA_BOOTSTRAP_SERVERS}, {@code WARM_REGISTRY_URL}, {@code WARM_INGEST_...}) or properties.
 */
@Singleton
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class IngestConfig {

    public static final String ENABLED = IngestSettings.ENABLED;

    private final KafkaSettings kafka;
    private final Map<String, Object> serdeSettings;
    private final String httpTopic;
    private final LabelRules rules;
    private final RequestLimits requestLimits;
    private final String defaultLabeller;
    private final String defaultSource;
    private final Map<String, Object> producerOverrides;
    private final boolean provisionTopics;
    private final boolean topologyEnabled;
    private final String applicationId;
    private final Path stateDir;
    private final Duration dedupWindow;
    private final Map<String, Object> streamsOverrides;
    private final Duration closeTimeout;
    private final int deadLetterMaxBytes;

    public IngestConfig(Environment env, IngestSettings ingest, HttpSettings http, LabelDefaultsSettings defaults,
                        LimitsSettings limits, TopologySettings topology) {
        required(env, "warm.kafka.bootstrap-servers");
        required(env, "warm.registry.url");
        // Every Kafka client of ingest is configured from these (warm.kafka.client.* included: SASL, TLS).
        this.kafka = KafkaSettings.from(env.getProperties("warm", StringConvention.RAW));
        // warm.registry.* and warm.serde.* (flavour, serializer, id-cache, properties.*) pass through to EventSerdes.
        this.serdeSettings = kafka.serdeSettings();
        this.httpTopic = http.getTopic();
        this.rules = new LabelRules(limits.labelLimits(), limits.getCreatedAtMaxFuture(), Clock.systemUTC());
        this.requestLimits = new RequestLimits(limits.getMaxItems(), limits.getListedRejections(), limits.getMaxDepth(),
                limits.getMaxTokens());
        this.defaultLabeller = defaults.getLabeller();
        this.defaultSource = defaults.getSource();
        this.producerOverrides = ingest.getProducer();
        this.provisionTopics = ingest.isProvisionTopics();
        this.topologyEnabled = topology.isEnabled();
        this.applicationId = topology.getApplicationId();
        this.stateDir = topology.stateDirPath();
        this.dedupWindow = topology.getDedupWindow();
        this.streamsOverrides = topology.getStreams();
        this.closeTimeout = ingest.getCloseTimeout();
        this.deadLetterMaxBytes = topology.getDeadLetterMaxBytes();
    }

    /** How every producer, Streams app and admin client of ingest reaches Kafka and the registry. */
    public KafkaSettings kafka() { return kafka; }
    public String bootstrapServers() { return kafka.bootstrapServers(); }
    /** Settings for {@link EventSerdes}: every {@code warm.registry.*} and {@code warm.serde.*} key without {@code warm.}. */
    public Map<String, Object> serdeSettings() { return serdeSettings; }
    /** Where HTTP labels are written: the raw topic by default, so one topology validates and de-duplicates all labels. */
    public String registryUrl() { return (String) serdeSettings.get(EventSerdes.REGISTRY_URL); }
    public String httpTopic() { return httpTopic; }
    public LabelRules rules() { return rules; }
    /** Bounds on one HTTP request: items, listed rejections, JSON depth and tokens. */
    public RequestLimits requestLimits() { return requestLimits; }
    public String defaultLabeller() { return defaultLabeller; }
    public String defaultSource() { return defaultSource; }
    /** Raw Kafka producer settings ({@code warm.ingest.producer.*}), applied over ours. */
    public Map<String, Object> producerOverrides() { return producerOverrides; }
    public boolean provisionTopics() { return provisionTopics; }
    public short replicationFactor() { return kafka.replicationFactor(); }
    public boolean topologyEnabled() { return topologyEnabled; }
    public String applicationId() { return applicationId; }
    public Path stateDir() { return stateDir; }
    public Duration dedupWindow() { return dedupWindow; }
    /** Raw Kafka Streams settings ({@code warm.ingest.topology.streams.*}), applied over ours. */
    public Map<String, Object> streamsOverrides() { return streamsOverrides; }
    public Duration closeTimeout() { return closeTimeout; }
    /** Dead letters are cut to this many bytes (key, value, headers) so the broker never refuses one. */
    public int deadLetterMaxBytes() { return deadLetterMaxBytes; }

    private static String required(Environment env, String key) {
        return env.getProperty(key, String.class).filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException(key + " must be set"));
    }
}
