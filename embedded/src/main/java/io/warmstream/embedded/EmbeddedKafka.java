package io.warmstream.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running inside this JVM.
 *
 * <p>What's here: {@link #start(Path)} formats the data directory if it is new and starts
 * {@link KafkaRaftServer} on two free loopback ports (client listener and controller). Every internal
 * topic is sized for one node (replication factor and min ISR 1), so consumer groups, transactions and
 * exactly-once Kafka Streams work. Given a directory, the broker's data survives {@link #close()} and
 * a later {@link #start(Path)} on the same directory; without one, a temporary directory is used and
 * deleted on close. Close every client before closing the broker, or the clients' retries slow the
 * shutdown down. {@link BrokerSecurity} chooses how clients get in: plaintext (the default), SASL/SCRAM-SHA-512
 * with ACLs, or TLS.
 *
 * <p>Longer than most classes because formatting, each security mode's listeners and an orderly shutdown must agree on one set of broker properties.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration SCRAM_WAIT = Duration.ofSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int port;
    private final BrokerSecurity security;
    private final Map<String, Object> superUserAdminConfig;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean deleteOnClose, int port, BrokerSecurity security,
                          Map<String, Object> superUserAdminConfig) {
        this.server = server;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.port = port;
        this.security = security;
        this.superUserAdminConfig = Map.copyOf(superUserAdminConfig);
    }

    /**
     * Starts a broker. {@code dataDir == null} means a fresh temporary directory, deleted on close;
     * a given directory is formatted only if it is not yet formatted, so its topics and records survive restarts.
     * Kafka's files go to {@code dataDir/logs}.
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** As {@link #start(Path)}, with broker settings added to or replacing the defaults (e.g. {@code message.max.bytes}). */
    public static EmbeddedKafka start(Path dataDir, Map<String, String> overrides) {
        return start(dataDir, 0, overrides);
    }

    /**
     * As {@link #start(Path, Map)} on a fixed client port (e.g. 9092, so tools outside can connect);
     * {@code port == 0} picks a free one. The controller's port is always picked freely.
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        return start(dataDir, port, overrides, BrokerSecurity.plaintext());
    }

    /**
     * As {@link #start(Path, int, Map)} with the listeners {@code security} describes. In SASL mode the SCRAM users
     * are created (or their passwords reset) before this returns, so clients can log in at once.
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides, BrokerSecurity security) {
        boolean temporary = dataDir == null;
        Path dir;
        try {
            dir = temporary ? Files.createTempDirectory("warm-kafka-") : Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
        }
        long t0 = System.nanoTime();
        RuntimeException last = null;
        // Free ports are found by binding and releasing them; another process may grab one in between, so retry.
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            int[] ports = freePorts(security.portsNeeded());
            if (port != 0) {
                ports[0] = port;
            }
            Properties props = brokerProperties(dir.resolve("logs"), ports, security, overrides);
            KafkaRaftServer server = null;
            try {
                KafkaConfig config = KafkaConfig.fromProps(props, false);
                if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                    format(config, dir.resolve("logs"));
                }
                server = new KafkaRaftServer(config, Time.SYSTEM);
                server.startup();
                awaitListening(ports[0]);
                Map<String, Object> adminConfig = security.superUserAdminConfig(ports);
                awaitBrokerRegistered(adminConfig);
                if (security.mode() == BrokerSecurity.Mode.SASL) {
                    ScramUsers.upsert(adminConfig, security, SCRAM_WAIT);
                }
                LOG.info("Embedded Kafka on localhost:{} ({}, data {}) started in {} ms",
                        ports[0], security, dir, (System.nanoTime() - t0) / 1_000_000);
                return new EmbeddedKafka(server, dir, temporary, ports[0], security, adminConfig);
            } catch (RuntimeException e) {
                last = e;
                stopQuietly(server);
                LOG.warn("Embedded Kafka start attempt {} failed: {}", attempt, e.toString());
            }
        }
        if (temporary) {
            deleteRecursively(dir);
        }
        throw new IllegalStateException("Embedded Kafka did not start in " + dir, last);
    }

    /** {@code localhost:PORT}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** How clients get in: plaintext, SASL (SCRAM and ACLs) or TLS. */
    public BrokerSecurity security() {
        return security;
    }

    /**
     * Admin client settings of the super user (bootstrap address included), e.g. to set ACLs or create topics.
     * In SASL mode they reach the internal listener, which exists only inside this broker's loopback ports.
     */
    public Map<String, Object> superUserAdminConfig() {
        return superUserAdminConfig;
    }

    /** Where the broker keeps its data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and waits until it has stopped; deletes the data directory if it was temporary. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteOnClose) {
                deleteRecursively(dataDir);
            }
        }
        LOG.info("Embedded Kafka on localhost:{} stopped in {} ms", port, (System.nanoTime() - t0) / 1_000_000);
    }

    static Properties brokerProperties(Path logDir, int[] ports, BrokerSecurity security, Map<String, String> overrides) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@localhost:" + ports[1]);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.putAll(security.brokerProperties(ports));
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic must be satisfiable by a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Topics come from the catalogue's provisioner, never from a typo in a client.
        p.put("auto.create.topics.enable", "false");
        // The default 128 MiB dedupe buffer is heap taken from every test JVM; compaction of small topics needs little.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.putAll(overrides);
        return p;
    }

    private static void format(KafkaConfig config, Path logDir) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka log directory " + logDir, e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("cannot stop a half-started broker: {}", e.toString());
        }
    }

    /** The socket opens before the broker has registered with its controller; clients would only retry until then. */
    private static void awaitBrokerRegistered(Map<String, Object> adminConfig) {
        Object port = adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(adminConfig)) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker on " + port + " did not register within 60 s");
                }
                sleep(50);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka broker on " + port + " is not answering", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void awaitListening(int port) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("localhost", port), 500);
                return;
            } catch (IOException e) {
                sleep(50);
            }
        }
        throw new IllegalStateException("Kafka broker not listening on localhost:" + port + " after 60 s");
    }

    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // Closing a just-opened listening socket; nothing to recover.
                    }
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", dir, e.toString());
        }
    }
}
