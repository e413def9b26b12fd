package io.warmstream.local.chaos;

import io.micronaut.runtime.server.EmbeddedServer;
import io.warmstream.ingest.IngestApplication;
import io.warmstream.merger.MergerApplication;
import io.warmstream.scorer.ScorerApplication;
import io.warmstream.trainer.TrainerApplication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The main class of one service process of a chaos run: {@code <ingest|trainer|merger|scorer> <properties file>}.
 * It starts the service with exactly the properties the local stack would give it, then waits. It exits when its
 * standard input closes, so a harness that dies (even by {@code kill -9}) leaves no service running.
 */
public final class ChaosServiceMain {

    private ChaosServiceMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ChaosServiceMain <ingest|trainer|merger|scorer> <properties file>");
            System.exit(2);
        }
        // Watch standard input first: a harness that dies while this service is still starting must not leave it behind.
        Thread watchdog = new Thread(ChaosServiceMain::exitWhenStdinCloses, "chaos-service-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        Map<String, Object> properties = read(Path.of(args[1]));
        EmbeddedServer server;
        try {
            server = switch (args[0]) {
                case "ingest" -> IngestApplication.start(properties);
                case "trainer" -> TrainerApplication.start(properties);
                case "merger" -> MergerApplication.start(properties);
                case "scorer" -> ScorerApplication.start(properties);
                default -> throw new IllegalArgumentException("unknown service " + args[0]);
            };
        } catch (RuntimeException | Error e) {
            // as a container would: a service that cannot start exits, and the harness sees it gone
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.getApplicationContext().close(), "chaos-service-stop"));
        System.err.println("chaos service " + args[0] + " listening on " + server.getPort());
        try {
            Thread.currentThread().join(); // until SIGTERM (the hook closes the service), kill -9, or stdin closes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void exitWhenStdinCloses() {
        try {
            InputStream in = System.in;
            while (in.read() >= 0) {
                // nothing is sent; EOF means the harness is gone
            }
        } catch (IOException e) {
            // a broken pipe means the same
        }
        // halt, not exit: the broker lived in the harness, so a graceful close would only wait for it in vain
        Runtime.getRuntime().halt(0);
    }

    static Map<String, Object> read(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
