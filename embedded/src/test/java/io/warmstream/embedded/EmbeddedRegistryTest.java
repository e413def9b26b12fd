package io.warmstream.embedded;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedRegistryTest {

    @Test
    void servesConfluentApiAndStopsCleanly() throws Exception {
        EmbeddedRegistry registry = EmbeddedRegistry.start();
        URI uri = URI.create(registry.url());
        int port = uri.getPort();
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
        } finally {
            registry.close();
        }
        assertFalse(registry.process().isAlive(), "registry process gone");
        assertThrows(ConnectException.class, () -> connect(port), "port closed after close()");
        registry.close(); // closing twice is harmless
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
