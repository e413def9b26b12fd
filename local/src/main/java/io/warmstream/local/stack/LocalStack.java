package io.warmstream.local.stack;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.embedded.BrokerSecurity;
import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.merger.MergerApplication;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.trainer.TrainerApplication;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.ServiceAcls;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;

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
import java.util.function.Supplier;

/**
 * The whole system in this JVM: the embedded KRaft broker, the Apicurio registry process, the catalogue's topics
 * and schemas, then ingest, the trainers, the merger and the scorer, each a Micronaut context of its own.
 *
 * <p>{@link #close()} stops them in the order that keeps shutdown fast and loses nothing: services first (their
 * Kafka clients commit and close while the broker is still there), then the registry, then the broker.
 * Everything that must outlive a restart lives under {@link StackSettings#dataDir()}.
 */
public final class LocalStack implements AutoCloseable {

    private final StackSettings settings;
    private final Consumer<String> report;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private KafkaSettings kafkaSettings;
    private RegistrySnapshot snapshot;
    private LocalSecrets secrets;
    private LocalKafkaLogins kafkaLogins;
    private final List<RunningService> services = Collections.synchronizedList(new ArrayList<>());
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
        secrets = LocalSecrets.loadOrCreate(settings.dataDir());
        if (secrets.signingKeyCreated()) {
            // A data directory from before model signing: its own models are adopted once, or nothing would load.
            int adopted = new ModelSigner(ModelSigningKeys.load(secrets.modelSigningKeyFile()))
                    .signUnsigned(settings.storeDir());
            if (adopted > 0) {
                report.accept(String.format("model signing   key made in %s; signed the %d model directories already "
                        + "in %s", secrets.modelSigningKeyFile(), adopted, settings.storeDir()));
            }
        }
        boolean sasl = settings.kafkaSecurity().equals("sasl");
        kafkaLogins = sasl ? LocalKafkaLogins.loadOrCreate(settings.dataDir()) : null;
        long t = System.nanoTime();
        kafka = startBroker(sasl ? kafkaLogins.brokerSecurity() : BrokerSecurity.plaintext());
        report.accept(String.format("Kafka broker    %s (%sdata %s) %s", kafka.bootstrapServers(),
                sasl ? "SASL/SCRAM and ACLs, logins in " + LocalSecrets.DIR + "/" + LocalKafkaLogins.FILE + ", " : "",
                settings.kafkaDir(), since(t)));

        t = System.nanoTime();
        registry = startRegistry();
        snapshot = new RegistrySnapshot(registry.apicurioUrl());
        boolean restored = snapshot.restore(settings.registrySnapshot());
        Map<String, Object> stackKafka = new LinkedHashMap<>();
        stackKafka.put(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        stackKafka.put("registry.url", registry.ccompatUrl());
        if (sasl) {
            // The stack's own clients (provisioning, the live account, status) are the super user.
            kafkaLogins.superUserClientConfig().forEach((k, v) -> stackKafka.put(KafkaSettings.CLIENT_PREFIX + k, v));
        }
        kafkaSettings = KafkaSettings.from(stackKafka);
        try (Admin admin = kafkaSettings.admin("warm-local-provisioner")) {
            kafkaSettings.provision(admin, Topics.all());
            if (sasl) {
                for (ServiceAcls.Service service : ServiceAcls.Service.values()) {
                    ServiceAcls.apply(admin, service, service.defaultUser());
                }
            }
        }
        snapshot.save(settings.registrySnapshot());
        report.accept(String.format("schema registry %s (%s) %s", registry.ccompatUrl(),
                restored ? "schemas and ids restored from " + settings.registrySnapshot().getFileName() : "schemas registered", since(t)));

        ServiceProperties properties = new ServiceProperties(settings, kafka.bootstrapServers(), registry.ccompatUrl(), secrets,
                kafkaLogins);
        startService("ingest", () -> IngestApplication.start(properties.ingest()));
        for (int i = 0; i < settings.trainers(); i++) {
            int index = i;
            startService(trainerName(i), () -> TrainerApplication.start(properties.trainer(index)));
        }
        startService("merger", () -> MergerApplication.start(properties.merger()));
        startService("scorer", () -> ScorerApplication.start(properties.scorer()));
        // A service may have registered a schema the catalogue did not (it should not, but keep ids safe anyway).
        snapshot.save(settings.registrySnapshot());
    }

    private void startService(String name, Supplier<EmbeddedServer> start) {
        long t = System.nanoTime();
        RunningService service;
        try {
            service = new RunningService(name, start.get());
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " did not start: " + rootMessage(e), e);
        }
        services.add(service);
        report.accept(String.format("%-15s %s %s", name, service.url(), since(t)));
    }

    private String trainerName(int index) {
        return settings.trainers() == 1 ? "trainer" : "trainer-" + (index + 1);
    }

    private EmbeddedKafka startBroker(BrokerSecurity security) {
        try {
            return EmbeddedKafka.start(settings.kafkaDir(), settings.kafkaPort(), Map.of(), security);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka did not start on port " + settings.kafkaPort() + " with data in "
                    + settings.kafkaDir() + " (is another stack using this port or data directory? --kafka-port, "
                    + "WARM_KAFKA_PORT and --data-dir change them): " + rootMessage(e), e);
        }
    }

    private EmbeddedRegistry startRegistry() {
        try {
            // This stack stops the registry itself, after the services (close()); its own JVM hook would stop it
            // at the same time as they do on Ctrl-C, and they would fail reading schemas while stopping.
            return EmbeddedRegistry.start(settings.registryPort()).stoppedByOwner();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the schema registry did not start on port " + settings.registryPort()
                    + " (in use? --registry-port or WARM_REGISTRY_PORT change it): " + rootMessage(e), e);
        }
    }

    public StackSettings settings() {
        return settings;
    }

    /** The data directory's API keys (one per role) and hold-out salt. */
    public LocalSecrets secrets() {
        return secrets;
    }

    /** The Kafka users' passwords when the broker runs with SASL, else empty. */
    public Optional<LocalKafkaLogins> kafkaLogins() {
        return Optional.ofNullable(kafkaLogins);
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
        // No snapshot here: every registration happened at start-up, where the snapshot was taken.
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
