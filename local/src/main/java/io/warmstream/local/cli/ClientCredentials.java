package io.warmstream.local.cli;

import io.warmstream.local.stack.LocalSecrets;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The API key of a client command: {@code --api-key} (or {@code WARM_API_KEY}) when given, else the key of the
 * command's role that {@code ./warm up} or {@code ./warm demo} generated in the data directory, else none (a
 * stack with security off).
 */
public final class ClientCredentials {

    @Option(names = "--api-key", paramLabel = "<key>", defaultValue = "${env:WARM_API_KEY}",
            description = "API key to send as a bearer token (env WARM_API_KEY; default: the local stack's key for "
                    + "this command's role, from <data-dir>/security/credentials.properties).")
    String apiKey;

    @Option(names = "--data-dir", paramLabel = "<dir>", defaultValue = "${env:WARM_DATA_DIR:-warm-data}",
            description = "The local stack's data directory, where its keys are (env WARM_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    /** The key to send, or null. */
    String key(String role) {
        if (apiKey != null && !apiKey.isBlank()) return apiKey.strip();
        return dataDir == null ? null : LocalSecrets.existingKey(dataDir, role).orElse(null);
    }
}
