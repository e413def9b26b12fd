package io.warmstream.local.cli;

import io.warmstream.local.stack.StackSettings;
import io.warmstream.local.stack.TrainingProfile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Options of the commands that run the stack ({@code demo}, {@code up}). */
public final class StackOptions {

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "${env:WARM_DATA_DIR:-warm-data}",
            description = "Where Kafka's data, the schemas, the models and the log live; reuse it to resume (env WARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--trainers", paramLabel = "<n>", defaultValue = "${env:WARM_TRAINERS:-1}",
            description = "Trainer workers to run (env WARM_TRAINERS; default ${DEFAULT-VALUE}).")
    int trainers;

    @Option(names = "--base-model", paramLabel = "<name>", defaultValue = "${env:WARM_BASE_MODEL:-minilm-l6}",
            description = "The shared pretrained base: minilm-l6 (real, pretrained) or tiny (random, for quick checks) (env WARM_BASE_MODEL; default ${DEFAULT-VALUE}).")
    String baseModel;

    @Option(names = "--kafka-port", paramLabel = "<port>", defaultValue = "${env:WARM_KAFKA_PORT:-9092}",
            description = "Kafka's client port (env WARM_KAFKA_PORT; default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", paramLabel = "<port>", defaultValue = "${env:WARM_REGISTRY_PORT:-8081}",
            description = "The schema registry's port (env WARM_REGISTRY_PORT; default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--ingest-port", paramLabel = "<port>", defaultValue = "${env:WARM_INGEST_PORT:-8080}",
            description = "Ingest's HTTP port (env WARM_INGEST_PORT; default ${DEFAULT-VALUE}).")
    int ingestPort;

    @Option(names = "--scorer-port", paramLabel = "<port>", defaultValue = "${env:WARM_SCORER_PORT:-8082}",
            description = "The scorer's HTTP port, API and dashboard (env WARM_SCORER_PORT; default ${DEFAULT-VALUE}).")
    int scorerPort;

    @Option(names = "--merger-port", paramLabel = "<port>", defaultValue = "${env:WARM_MERGER_PORT:-8083}",
            description = "The merger's HTTP port (env WARM_MERGER_PORT; default ${DEFAULT-VALUE}).")
    int mergerPort;

    @Option(names = "--trainer-port", paramLabel = "<port>", defaultValue = "${env:WARM_TRAINER_PORT:-8084}",
            description = "The first trainer's HTTP port; trainer i uses this + i (env WARM_TRAINER_PORT; default ${DEFAULT-VALUE}).")
    int trainerPort;

    @Option(names = "--kafka-security", paramLabel = "<mode>", defaultValue = "${env:WARM_KAFKA_SECURITY:-plaintext}",
            description = "plaintext, or sasl: SCRAM-SHA-512 logins (one per service, passwords in <data-dir>/security/kafka-users.properties) and ACLs (env WARM_KAFKA_SECURITY; default ${DEFAULT-VALUE}).")
    String kafkaSecurity;

    @Option(names = "--set", paramLabel = "<key=value>",
            description = "Set any service property, e.g. --set warm.trainer.max-steps=40 (repeatable; applied last).")
    Map<String, String> properties = new LinkedHashMap<>();

    StackSettings settings() {
        TrainingProfile profile = switch (baseModel) {
            case "minilm-l6", "minilm" -> TrainingProfile.cpuDemo();
            case "tiny" -> TrainingProfile.tiny();
            default -> throw new IllegalArgumentException("--base-model must be minilm-l6 or tiny, not '" + baseModel + "'");
        };
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put(StackSettings.KAFKA_SECURITY, kafkaSecurity);
        overrides.putAll(properties);
        StackSettings settings = new StackSettings(dataDir, kafkaPort, registryPort, ingestPort, scorerPort, mergerPort, trainerPort,
                trainers, profile, overrides);
        settings.kafkaSecurity();
        return settings;
    }
}
