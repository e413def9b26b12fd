package io.warmstream.local.chaos;

import io.warmstream.embedded.EmbeddedKafka;
import io.warmstream.embedded.EmbeddedRegistry;
import io.warmstream.embedded.OutageProxy;
import io.warmstream.platform.KafkaSettings;
import io.warmstream.schemas.Topics;
import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * The broker and the registry of a chaos run, both in reach of the harness so it can take them away: the KRaft
 * broker runs in this JVM on a fixed port and log directory (a restart brings back the same broker under the
 * services' feet), the Apicurio registry runs as its own process behind an {@link OutageProxy} (an outage refuses
 * connections on the registry's address while the registry keeps its schema ids).
 */
final class ChaosInfrastructure implements AutoCloseable {

    private final Path kafkaDir;
    private final int kafkaPort;
    private volatile EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final OutageProxy registryProxy;
    private final KafkaSettings kafkaSettings;

    private ChaosInfrastructure(Path kafkaDir, int kafkaPort, EmbeddedKafka kafka, EmbeddedRegistry registry,
                                OutageProxy proxy) {
        this.kafkaDir = kafkaDir;
        this.kafkaPort = kafkaPort;
        this.kafka = kafka;
        this.registry = registry;
        this.registryProxy = proxy;
        this.kafkaSettings = KafkaSettings.from(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                "registry.url", registryUrl()));
    }

    /** Starts both and provisions every topic of the catalogue with its schema. */
    static ChaosInfrastructure start(Path dataDir) {
        int port = freePort();
        Path kafkaDir = dataDir.resolve("kafka");
        EmbeddedKafka kafka = EmbeddedKafka.start(kafkaDir, port, Map.of());
        EmbeddedRegistry registry = null;
        try {
            registry = EmbeddedRegistry.start(0);
            int registryPort = java.net.URI.create(registry.url()).getPort();
            OutageProxy proxy = new OutageProxy("127.0.0.1", registryPort);
            ChaosInfrastructure infra = new ChaosInfrastructure(kafkaDir, port, kafka, registry, proxy);
            try (Admin admin = infra.kafkaSettings.admin("warm-chaos-provisioner")) {
                infra.kafkaSettings.provision(admin, Topics.all());
            }
            return infra;
        } catch (RuntimeException e) {
            if (registry != null) registry.close();
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    /** The registry's Confluent-compatible API as the services see it: through the proxy. */
    String registryUrl() {
        return "http://127.0.0.1:" + registryProxy.port() + "/apis/ccompat/v7";
    }

    KafkaSettings kafkaSettings() {
        return kafkaSettings;
    }

    /** Stops the broker (controlled shutdown, its logs flushed) and starts it again on the same port and data. */
    synchronized void restartBroker() {
        kafka.close();
        kafka = EmbeddedKafka.start(kafkaDir, kafkaPort, Map.of());
    }

    void registryDown() {
        registryProxy.down();
    }

    void registryUp() {
        registryProxy.up();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    @Override
    public void close() {
        registryProxy.close();
        registry.close();
        kafka.close();
    }
}
