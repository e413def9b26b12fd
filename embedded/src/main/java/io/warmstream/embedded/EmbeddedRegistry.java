package io.warmstream.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Apicurio Registry (2.6, in-memory storage) running as a child process on a free loopback port.
 *
 * <p>What's here: {@link #start()} unpacks the distribution Maven fetched (see {@link RegistryDistribution})
 * once, starts {@code java -jar <runner>} with {@code quarkus.http.port=0}, and reads the port from the
 * {@code Listening on: http://127.0.0.1:PORT} line of its output; the whole output goes to {@link #logFile()}.
 * It serves Confluent's Schema Registry REST API at {@link #ccompatUrl()} and Apicurio's own at
 * {@link #apicurioUrl()}. {@link #close()} stops the process and its children; a shutdown hook does the
 * same if the JVM exits first, so no registry outlives its parent.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    /** Seconds to wait for the registry to listen; system property {@code warm.registry.start-timeout-seconds}. */
    static final String TIMEOUT_PROPERTY = "warm.registry.start-timeout-seconds";
    /** Set to true to keep {@link #logFile()} after a clean {@link #close()} (it is kept anyway when start-up fails). */
    static final String KEEP_LOG_PROPERTY = "warm.registry.keep-log";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[^\\s,]+)");
    private static final int TAIL_LINES = 40;
    private static final String SHELL = "/bin/sh";
    /**
     * Runs the registry as a child of a small shell that stops it when our end of the shell's stdin closes:
     * on {@link #close()}, and also when this JVM dies without running shutdown hooks (SIGKILL, crash),
     * so no registry is left orphaned.
     */
    private static final String WATCHDOG = String.join("\n",
            "\"$@\" </dev/null &",
            "child=$!",
            // Ctrl-C in a terminal reaches the whole foreground group: the shell ignores it (the registry, started
            // with &, ignores it already), so the registry outlives the services that are still stopping and is
            // stopped last, by its owner closing the shell's stdin.
            "trap '' INT",
            "trap 'kill -TERM $child 2>/dev/null' TERM HUP",
            "read _ignored || true",
            "kill -TERM $child 2>/dev/null",
            "wait $child");

    private final Process process;
    private final boolean watchdog;
    private final String url;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedRegistry(Process process, boolean watchdog, String url, Path logFile, Thread shutdownHook) {
        this.process = process;
        this.watchdog = watchdog;
        this.url = url;
        this.logFile = logFile;
        this.shutdownHook = shutdownHook;
    }

    /** Starts a registry process on a free port and waits until it listens. */
    public static EmbeddedRegistry start() {
        return start(0);
    }

    /** Starts a registry process on the given loopback port ({@code 0}: a free one) and waits until it listens. */
    public static EmbeddedRegistry start(int port) {
        long t0 = System.nanoTime();
        Path jar = RegistryDistribution.runnerJar();
        Path logFile;
        try {
            logFile = Files.createTempFile("apicurio-registry-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the registry log file", e);
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                // Keep the process quiet and self-contained: no telemetry, no console colours in the log file.
                "-Dquarkus.log.console.color=false", "-Dquarkus.analytics.disabled=true",
                "-jar", jar.toString()));
        boolean watchdog = Files.isExecutable(Path.of(SHELL));
        if (watchdog) {
            command.addAll(0, List.of(SHELL, "-c", WATCHDOG, "warm-registry"));
        }
        Process process;
        try {
            process = new ProcessBuilder(command).directory(jar.getParent().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Thread hook = new Thread(() -> stop(process, watchdog), "apicurio-registry-stop");
        Runtime.getRuntime().addShutdownHook(hook);

        CompletableFuture<String> listening = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pumpOutput(process, logFile, listening, tail), "apicurio-registry-log");
        pump.setDaemon(true);
        pump.start();

        long timeout = Long.getLong(TIMEOUT_PROPERTY, 120);
        try {
            String url = listening.get(timeout, TimeUnit.SECONDS);
            LOG.info("Apicurio Registry at {} started in {} ms (pid {}, log {})",
                    url, (System.nanoTime() - t0) / 1_000_000, process.pid(), logFile);
            return new EmbeddedRegistry(process, watchdog, url, logFile, hook);
        } catch (TimeoutException | ExecutionException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop(process, watchdog);
            removeHook(hook);
            String why = e instanceof TimeoutException ? "did not listen within " + timeout + " s"
                    : "exited before listening (exit code " + exitCode(process) + ")";
            String lastLines;
            synchronized (tail) {
                lastLines = String.join("\n", tail);
            }
            throw new IllegalStateException("Apicurio Registry " + why + "; log " + logFile + ", last lines:\n" + lastLines, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return url;
    }

    /** The Confluent-compatible REST API: {@code url() + "/apis/ccompat/v7"}. */
    public String ccompatUrl() {
        return url + "/apis/ccompat/v7";
    }

    /** Apicurio's own REST API: {@code url() + "/apis/registry/v2"}. */
    public String apicurioUrl() {
        return url + "/apis/registry/v2";
    }

    /** The registry's full output; deleted on {@link #close()} unless {@code -Dwarm.registry.keep-log=true}. */
    public Path logFile() {
        return logFile;
    }

    /**
     * For an owner that stops its system in order on JVM shutdown (clients first, then this registry): drops this
     * registry's own shutdown hook, which would otherwise stop it at once, concurrently with the owner's hook (the
     * JVM runs hooks in no order), while the owner's services still read and register schemas. The watchdog shell
     * still stops the registry if this JVM dies without running hooks. Without the watchdog (no {@code /bin/sh})
     * the hook stays, since nothing else would stop the process.
     *
     * @return this registry
     */
    public EmbeddedRegistry stoppedByOwner() {
        if (watchdog) {
            removeHook(shutdownHook);
        }
        return this;
    }

    /** The started process: on Unix the watchdog shell, whose child is the registry's JVM. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Stops the registry (gracefully, then forcibly after 15 s) together with any child processes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long t0 = System.nanoTime();
        stop(process, watchdog);
        removeHook(shutdownHook);
        if (!Boolean.getBoolean(KEEP_LOG_PROPERTY)) {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", logFile, e.toString());
            }
        }
        LOG.info("Apicurio Registry at {} stopped in {} ms", url, (System.nanoTime() - t0) / 1_000_000);
    }

    private static void stop(Process process, boolean watchdog) {
        List<ProcessHandle> family = process.descendants().toList();
        try {
            // With the watchdog, ending its stdin is the stop signal: it sends SIGTERM to the registry and waits.
            process.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing the registry's stdin: {}", e.toString());
        }
        if (!watchdog) {
            process.destroy();
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("Apicurio Registry (pid {}) did not stop within 15 s; killing it", process.pid());
                family.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            family.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook runs anyway.
        }
    }

    private static void pumpOutput(Process process, Path logFile, CompletableFuture<String> listening, Deque<String> tail) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (!listening.isDone()) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(m.group(1).replaceAll("/+$", ""));
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("registry output closed: {}", e.toString());
        } finally {
            listening.completeExceptionally(new IllegalStateException("registry output ended"));
        }
    }

    private static String exitCode(Process process) {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }
}
