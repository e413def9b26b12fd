package io.warmstream.local.stack;

/**
 * The local stack's fixed default addresses, so a user (and the client subcommands) can reach every part without
 * looking anything up. Each port can be changed with a command-line option or the environment variable named in
 * the option's description; the client subcommands read the same variables for their URLs.
 */
public final class LocalDefaults {

    public static final int KAFKA_PORT = 9092;
    public static final int REGISTRY_PORT = 8081;
    public static final int INGEST_PORT = 8080;
    public static final int SCORER_PORT = 8082;
    public static final int MERGER_PORT = 8083;
    /** The first trainer's HTTP port; trainer i listens on {@code TRAINER_PORT + i}. */
    public static final int TRAINER_PORT = 8084;

    public static final String DATA_DIR = "warm-data";

    public static final String INGEST_URL = "http://localhost:" + INGEST_PORT;
    public static final String SCORER_URL = "http://localhost:" + SCORER_PORT;
    public static final String BOOTSTRAP_SERVERS = "localhost:" + KAFKA_PORT;
    public static final String REGISTRY_URL = "http://localhost:" + REGISTRY_PORT + "/apis/ccompat/v7";

    private LocalDefaults() {
    }
}
