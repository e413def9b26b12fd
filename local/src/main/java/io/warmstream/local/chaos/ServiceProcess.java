package io.warmstream.local.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One service of a chaos run as its own JVM ({@link ChaosServiceMain}) on this JVM's classpath, on a fixed port so a
 * restarted service is found where its clients look. Its log is appended to {@code <logs>/<name>.log} across restarts.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String kind;
    private final int port;
    private final Path propertiesFile;
    private final Path logFile;
    private final String heap;
    private volatile Process process;
    private int starts;

    public ServiceProcess(String name, String kind, int port, Map<String, Object> properties, Path logDir, String heap) {
        this.name = name;
        this.kind = kind;
        this.port = port;
        this.heap = heap;
        this.logFile = logDir.resolve(name + ".log");
        this.propertiesFile = logDir.resolve(name + ".properties");
        Properties p = new Properties();
        properties.forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        p.setProperty("micronaut.server.port", String.valueOf(port));
        try {
            Files.createDirectories(logDir);
            try (OutputStream out = Files.newOutputStream(propertiesFile)) {
                p.store(out, name + " of a chaos run");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path logFile() {
        return logFile;
    }

    public int starts() {
        return starts;
    }

    /** Starts the JVM; it serves once {@link #healthy()} says so. */
    public synchronized void start() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dai.djl.offline=true");
        command.add("-Dlogback.configurationFile=warmstream/local/logback-chaos-service.xml");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChaosServiceMain.class.getName());
        command.add(kind);
        command.add(propertiesFile.toString());
        try {
            Files.writeString(logFile, "=== start " + (starts + 1) + " at " + java.time.Instant.now() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start(); // stdin stays a pipe: closing it (or our death) stops the service
            starts++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no flush, no goodbye to the broker. */
    public void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A graceful stop (SIGTERM: the service closes its context), then {@code kill -9} after 30 s. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /**
     * GET /health answered 200 (every indicator UP); for the merger also {@code "role":"ACTIVE"}: a restarted merger
     * is UP as a standby until its dead predecessor's group session expires, and merges nothing until then.
     */
    public boolean healthy() {
        if (!alive()) {
            return false;
        }
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && (!kind.equals("merger") || r.body().contains("\"role\":\"ACTIVE\""));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The body of GET /health, for progress lines when a service does not come back. */
    public String healthBody() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public String toString() {
        return name + " " + url();
    }
}
