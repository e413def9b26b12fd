package io.warmstream.local.stack;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.schemas.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The whole system in this JVM: the embedded KRaft broker, the Apicurio registry process, the catalogue's topics
 * and schemas, then ingest, the trainers, the merger and the scorer, each a Micronaut context of its own.
 *
 * <p>{@link #close()} stops them in the order that keeps shutdown fast and loses nothing: services first (their
 * Kafka clients commit and close while the broker is still there), then the registry, then the broker.
 * Everything that must outlive a restart lives under {@link StackSettings#dataDir()}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    /** Services that may not be built yet; the stack starts the ones on the classpath. */
    static final String TRAINER_APP = "io.warmstream.trainer.TrainerApplication";
    static final String MERGER_APP = "io.warmstream.merger.MergerApplication";
    static final String SCORER_APP = "io.warmstream.scorer.ScorerApplication";

    private final StackSettings settings;
    private final Consumer<String> report;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private KafkaSettings kafkaSettings;
    private RegistrySnapshot snapshot;
    private final List<RunningService> services = Collections.synchronizedList(new ArrayList<>());
    private final List<String> missing = new ArrayList<>();
    private boolean closed;

    private LocalStack(StackSettings settings, Consumer<String> report) {
        this.settings = settings;
        this.report = report;
    }

    /**
     * Starts everything; {@code report} hears one line per step ("Kafka on localhost:9092 (2.9 s)"). If a step fails,
     * what already started is stopped and the failure is thrown.
     */
    public static LocalStack start(StackSettings settings, Consumer<String> report) {
        LocalStack stack = new LocalStack(settings, report);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        try {
            Files.createDirectories(settings.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + settings.dataDir(), e);
        }
        long t = System.nanoTime();
        kafka = startBroker();
        report.accept(String.format("Kafka broker    %s (data %s) %s", kafka.bootstrapServers(), settings.kafkaDir(), since(t)));

        t = System.nanoTime();
        registry = startRegistry();
        snapshot = new RegistrySnapshot(registry.apicurioUrl());
        boolean restored = snapshot.restore(settings.registrySnapshot());
        kafkaSettings = KafkaSettings.from(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                "registry.url", registry.ccompatUrl()));
        try (Admin admin = kafkaSettings.admin("warm-local-provisioner")) {
            kafkaSettings.provision(admin, Topics.all());
        }
        snapshot.save(settings.registrySnapshot());
        report.accept(String.format("schema registry %s (%s) %s", registry.ccompatUrl(),
                restored ? "schemas and ids restored from " + settings.registrySnapshot().getFileName() : "schemas registered", since(t)));

        t = System.nanoTime();
        EmbeddedServer ingest = IngestApplication.start(ingestProperties());
        RunningService ingestService = new RunningService("ingest", ingest);
        services.add(ingestService);
        report.accept(String.format("ingest          %s/v1/preferences %s", ingestService.url(), since(t)));

        for (int i = 0; i < settings.trainers(); i++) {
            String name = settings.trainers() == 1 ? "trainer" : "trainer-" + (i + 1);
            if (!startOptional(name, TRAINER_APP, trainerProperties(i, name))) {
                break;
            }
        }
        startOptional("merger", MERGER_APP, mergerProperties());
        startOptional("scorer", SCORER_APP, scorerProperties());
        // A service may have registered a schema the catalogue did not (it should not, but keep ids safe anyway).
        snapshot.save(settings.registrySnapshot());
    }

    private boolean startOptional(String name, String appClass, Map<String, Object> properties) {
        long t = System.nanoTime();
        Optional<RunningService> started = ServiceLauncher.start(name, appClass, properties);
        if (started.isEmpty()) {
            String service = name.replaceAll("-\\d+$", "");
            missing.add(service);
            report.accept(String.format("%-15s NOT STARTED: %s is not on the classpath (module not built yet)", service, appClass));
            return false;
        }
        services.add(started.get());
        report.accept(String.format("%-15s %s %s", name, started.get().url(), since(t)));
        return true;
    }

    private EmbeddedKafka startBroker() {
        try {
            return EmbeddedKafka.start(settings.kafkaDir(), settings.kafkaPort(), Map.of());
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka did not start on port " + settings.kafkaPort() + " with data in "
                    + settings.kafkaDir() + " (is another stack using this port or data directory? --kafka-port, "
                    + "WARM_KAFKA_PORT and --data-dir change them): " + rootMessage(e), e);
        }
    }

    private EmbeddedRegistry startRegistry() {
        try {
            return EmbeddedRegistry.start(settings.registryPort());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the schema registry did not start on port " + settings.registryPort()
                    + " (in use? --registry-port or WARM_REGISTRY_PORT change it): " + rootMessage(e), e);
        }
    }

    /** Settings every service shares: where Kafka and the registry are, the model store, the base model. */
    Map<String, Object> common() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("warm.kafka.bootstrap-servers", kafka.bootstrapServers());
        p.put("warm.registry.url", registry.ccompatUrl());
        p.put("warm.kafka.replication-factor", 1);
        p.put("warm.store.location", settings.storeDir().toUri().toString());
        return p;
    }

    private Map<String, Object> ingestProperties() {
        Map<String, Object> p = common();
        p.put("micronaut.server.port", port(settings.ingestPort()));
        // The stack provisioned every topic already.
        p.put("warm.ingest.provision-topics", false);
        p.put("warm.ingest.topology.state-dir", settings.stateDir("ingest").toString());
        p.putAll(settings.overrides());
        return p;
    }

    private Map<String, Object> trainerProperties(int index, String name) {
        Map<String, Object> p = common();
        p.put("micronaut.server.port", settings.trainerPort() == 0 ? -1 : settings.trainerPort() + index);
        p.put("warm.trainer.worker-id", name);
        p.putAll(settings.profile().properties());
        p.putAll(settings.overrides());
        return p;
    }

    private Map<String, Object> mergerProperties() {
        Map<String, Object> p = common();
        p.put("micronaut.server.port", port(settings.mergerPort()));
        p.put("warm.merger.state-dir", settings.stateDir("merger").toString());
        p.putAll(settings.overrides());
        return p;
    }

    private Map<String, Object> scorerProperties() {
        Map<String, Object> p = common();
        p.put("micronaut.server.port", port(settings.scorerPort()));
        p.put("warm.scorer.state-dir", settings.stateDir("scorer").toString());
        p.putAll(settings.overrides());
        return p;
    }

    private static int port(int configured) {
        return configured == 0 ? -1 : configured;
    }

    public StackSettings settings() {
        return settings;
    }

    public KafkaSettings kafkaSettings() {
        return kafkaSettings;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.ccompatUrl();
    }

    /** The running services in start order. */
    public List<RunningService> services() {
        return List.copyOf(services);
    }

    public Optional<RunningService> service(String name) {
        return services().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Services that could not start because their module is not on the classpath. */
    public List<String> missingServices() {
        return List.copyOf(missing);
    }

    /** Stops services (last started first), then the registry, then the broker. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<RunningService> running = new ArrayList<>(services);
        Collections.reverse(running);
        for (RunningService s : running) {
            s.close();
        }
        // No snapshot here: the registry's own shutdown hook may already be stopping it on Ctrl-C, and every
        // registration happened at start-up, where the snapshot was taken.
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String since(long t0) {
        return String.format("(%.1f s)", (System.nanoTime() - t0) / 1e9);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
