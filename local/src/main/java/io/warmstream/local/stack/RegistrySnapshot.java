package io.warmstream.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Keeps the embedded registry's schemas, with their ids, across restarts of the local stack.
 *
 * <p>Why: records in Kafka carry the registry's content id of their writer schema (Confluent framing), and the
 * embedded Apicurio keeps schemas in memory. A fresh registry that merely re-registers today's schemas would give
 * ids by registration order: old records would point at missing ids (after a schema change) or at the wrong schema.
 * Apicurio's export/import API round-trips every artifact, version, rule, global id and content id, so the stack
 * exports after it registers schemas and imports the snapshot into the new registry before anything else.
 */
public final class RegistrySnapshot {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String apicurioUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param apicurioUrl the registry's own API, e.g. {@code http://127.0.0.1:8081/apis/registry/v2} */
    public RegistrySnapshot(String apicurioUrl) {
        this.apicurioUrl = apicurioUrl.replaceAll("/+$", "");
    }

    /** Imports {@code file} into the (empty) registry; returns false if there is no snapshot yet. */
    public boolean restore(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(apicurioUrl + "/admin/import"))
                    .timeout(TIMEOUT).header("Content-Type", "application/zip")
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("the registry refused to import " + file + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + file + " into the registry at " + apicurioUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted importing the registry snapshot", e);
        }
    }

    /** Exports everything the registry holds to {@code file}, replacing it atomically. */
    public void save(Path file) {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(apicurioUrl + "/admin/export"))
                    .timeout(TIMEOUT).header("Accept", "application/zip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the registry refused to export: HTTP " + r.statusCode());
            }
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.write(tmp, r.body());
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the registry snapshot to " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted exporting the registry", e);
        }
    }
}
