package io.warmstream.local.stack;


import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the local stack runs and where.
 *
 * @param dataDir        everything that must survive a restart: Kafka's logs, the registry's schemas, the model store
 * @param kafkaPort      the broker's client port ({@code 0}: a free one, as in tests)
 * @param registryPort   the registry's HTTP port
 * @param ingestPort     ingest's HTTP port
 * @param scorerPort     the scorer's HTTP port
 * @param mergerPort     the merger's HTTP port
 * @param trainerPort    the first trainer's HTTP port (trainer i uses {@code trainerPort + i}; with port 0 all pick free ones)
 * @param trainers       how many trainer workers
 * @param profile        the training settings: {@link TrainingProfile#cpuDemo()} or {@link TrainingProfile#tiny()}
 * @param overrides      service properties set last (the CLI's {@code --set key=value}), e.g. {@code warm.trainer.max-steps}
 */
public record StackSettings(Path dataDir, int kafkaPort, int registryPort, int ingestPort, int scorerPort, int mergerPort,
                            int trainerPort, int trainers, TrainingProfile profile, Map<String, Object> overrides) {

    /** The setting that runs the broker with SASL and ACLs ({@code sasl}) or without ({@code plaintext}). */
    public static final String KAFKA_SECURITY = "warm.local.kafka-security";

    public StackSettings {
        if (trainers < 0) {
            throw new IllegalArgumentException("trainers must be >= 0");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
        overrides = Map.copyOf(overrides);
    }

    /** The fixed default ports, the real MiniLM base with CPU demo settings, one trainer. */
    public static StackSettings defaults(Path dataDir) {
        return new StackSettings(dataDir, LocalDefaults.KAFKA_PORT, LocalDefaults.REGISTRY_PORT, LocalDefaults.INGEST_PORT,
                LocalDefaults.SCORER_PORT, LocalDefaults.MERGER_PORT, LocalDefaults.TRAINER_PORT, 1,
                TrainingProfile.cpuDemo(), Map.of());
    }

    /** Free ports everywhere and the tiny random-init base: what tests start. */
    public static StackSettings forTests(Path dataDir) {
        return new StackSettings(dataDir, 0, 0, 0, 0, 0, 0, 1, TrainingProfile.tiny(), Map.of());
    }

    public StackSettings withTrainers(int n) {
        return new StackSettings(dataDir, kafkaPort, registryPort, ingestPort, scorerPort, mergerPort, trainerPort, n, profile, overrides);
    }

    public StackSettings withProfile(TrainingProfile p) {
        return new StackSettings(dataDir, kafkaPort, registryPort, ingestPort, scorerPort, mergerPort, trainerPort, trainers, p, overrides);
    }

    public StackSettings withOverrides(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(overrides);
        all.putAll(more);
        return new StackSettings(dataDir, kafkaPort, registryPort, ingestPort, scorerPort, mergerPort, trainerPort, trainers, profile, all);
    }

    /**
     * How the broker lets clients in: {@code plaintext} (default) or {@code sasl} (SCRAM-SHA-512 logins, one per
     * service, and ACLs), from the {@value #KAFKA_SECURITY} setting ({@code --kafka-security}).
     */
    public String kafkaSecurity() {
        String mode = String.valueOf(overrides.getOrDefault(KAFKA_SECURITY, "plaintext")).trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("plaintext") && !mode.equals("sasl")) {
            throw new IllegalArgumentException(KAFKA_SECURITY + " must be plaintext or sasl, not '" + mode + "'");
        }
        return mode;
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path registrySnapshot() {
        return dataDir.resolve("registry").resolve("schemas.zip");
    }

    /** Where trainers put reward models and the merger puts averages (a {@code CheckpointStore} directory). */
    public Path storeDir() {
        return dataDir.resolve("store");
    }

    /**
     * Cached frozen-layer outputs ({@code training}: the trainers', shared by them; {@code evaluation}: the test-set
     * judges'); a cache, deleted freely, read again by {@code warm eval --stream}'s yardsticks.
     */
    public Path featuresDir(String role) {
        return dataDir.resolve("features").resolve(role);
    }

    /** Kafka Streams state of the services; rebuilt from changelogs if lost. */
    public Path stateDir(String service) {
        return dataDir.resolve("state").resolve(service);
    }

    public Path logFile() {
        return dataDir.resolve("warm.log");
    }
}
