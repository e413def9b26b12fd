package io.warmstream.embedded;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRegistryTest {

    @Test
    void servesConfluentApiAndStopsCleanly() throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start();
        URI uri = URI.create(registry.url());
        int port = uri.getPort();
        List<ProcessHandle> family;
        try {
            assertEquals("127.0.0.1", uri.getHost());
            assertEquals(registry.url() + "/apis/ccompat/v7", registry.ccompatUrl());
            assertEquals(registry.url() + "/apis/registry/v2", registry.apicurioUrl());
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode(), subjects.body());
            assertEquals("[]", subjects.body().replace(" ", ""));
            assertTrue(Files.readString(registry.logFile()).contains("Listening on"), "output goes to the log file");
            family = registry.process().descendants().toList();
        } finally {
            registry.close();
        }
        assertFalse(registry.process().isAlive(), "registry process gone");
        family.forEach(p -> assertFalse(p.isAlive(), "child " + p.pid() + " gone"));
        assertThrows(ConnectException.class, () -> connect(port), "port closed after close()");
        registry.close(); // closing twice is harmless
    }

    /**
     * Ctrl-C in a terminal sends SIGINT to every process of the foreground group, the registry's included: it must
     * keep serving the services that are still stopping, and go when its owner closes it.
     */
    @Test
    void aTerminalInterruptLeavesTheRegistryToItsOwner() throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start();
        List<ProcessHandle> family;
        try {
            family = registry.process().descendants().toList();
            assertFalse(family.isEmpty(), "the registry runs under its watchdog shell");
            interrupt(registry.process());
            family.forEach(EmbeddedRegistryTest::interrupt);
            Thread.sleep(2000);
            assertTrue(registry.process().isAlive(), "the watchdog shell survives SIGINT");
            family.forEach(p -> assertTrue(p.isAlive(), "registry process " + p.pid() + " survives SIGINT"));
            HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + "/subjects")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, subjects.statusCode(), subjects.body());
        } finally {
            registry.close();
        }
        assertFalse(registry.process().isAlive(), "registry process gone after close()");
        family.forEach(p -> assertFalse(p.isAlive(), "child " + p.pid() + " gone after close()"));
    }

    /**
     * An owner that stops its services before the registry in its own shutdown hook (the local stack on Ctrl-C) must
     * find the registry still serving while they stop: the registry's own hook, which would stop it at once and
     * concurrently (the JVM runs hooks in no order), is dropped by {@code stoppedByOwner()}.
     */
    @Test
    void anOwnerThatStopsItInOrderFindsItServingUntilItClosesIt() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                RegistryOwnerProbe.class.getName()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String url = lineStarting(out, "URL ");
            assertNotNull(url, "probe printed its registry URL");
            int port = URI.create(url.substring(4)).getPort();
            interrupt(owner.toHandle());
            assertEquals("DURING-STOP 200", lineStarting(out, "DURING-STOP"),
                    "the registry answers 3 s into its owner's stop");
            assertEquals("CLOSED", lineStarting(out, "CLOSED"));
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS), "the owner exits");
            assertFalse(isOpen(port), "closed by its owner");
        } finally {
            owner.destroyForcibly();
        }
    }

    private static String lineStarting(BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        return null;
    }

    private static void interrupt(ProcessHandle process) {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -INT " + process.pid());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A JVM killed with SIGKILL runs no shutdown hook; its registry must still go away. */
    @Test
    void registryDiesWithAKilledParentJvm() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                RegistryParentProbe.class.getName()).redirectErrorStream(true).start();
        int port;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            String url = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("URL ")) {
                    url = line.substring(4);
                    break;
                }
            }
            assertNotNull(url, "probe printed its registry URL");
            port = URI.create(url).getPort();
            connect(port);
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline && isOpen(port)) {
            Thread.sleep(200);
        }
        assertFalse(isOpen(port), "orphaned registry still listening on " + port);
    }

    private static boolean isOpen(int port) {
        try {
            connect(port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
