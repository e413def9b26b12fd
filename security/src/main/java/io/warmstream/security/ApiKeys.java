package io.warmstream.security;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The API keys this service accepts, from the keys file at {@code warm.security.keys-file}
 * ({@code WARM_SECURITY_KEYS_FILE}). The file is looked at again at most every {@code warm.security.reload-interval}
 * and re-read when its modification time or size changed, so keys are added, rotated and revoked without a restart.
 * A file that no longer parses leaves the previous keys in force (and says why in the log); a missing file accepts
 * no key.
 */
@Singleton
public final class ApiKeys {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private final Path file;
    private final long reloadNanos;
    private volatile ApiKeyFile keys = ApiKeyFile.empty();
    private volatile Object seenVersion;
    private volatile long nextCheck = Long.MIN_VALUE;
    private boolean warnedMissing;

    public ApiKeys(@Nullable @Value("${warm.security.keys-file:}") String file,
                   @Value("${warm.security.reload-interval:2s}") Duration reloadInterval) {
        this.file = file == null || file.isBlank() ? null : Path.of(file);
        this.reloadNanos = reloadInterval.toNanos();
        if (this.file == null) {
            LOG.warn("warm.security.keys-file (WARM_SECURITY_KEYS_FILE) is not set: no API key is accepted");
        }
        refresh();
    }

    /** Who the key authenticates as, if the keys file (as of now) holds its hash. */
    public Optional<ApiKeyFile.Entry> find(String key) {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            refresh();
        }
        return keys.find(key);
    }

    private synchronized void refresh() {
        nextCheck = System.nanoTime() + reloadNanos;
        if (file == null) return;
        Object version;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            version = a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
        } catch (NoSuchFileException e) {
            if (!warnedMissing) {
                LOG.warn("keys file {} is missing: no API key is accepted", file);
                warnedMissing = true;
            }
            keys = ApiKeyFile.empty();
            seenVersion = null;
            return;
        } catch (IOException e) {
            LOG.error("cannot read keys file {}: {}; keeping the {} keys read before", file, e.toString(), keys.size());
            return;
        }
        warnedMissing = false;
        if (Objects.equals(version, seenVersion)) return;
        try {
            ApiKeyFile read = ApiKeyFile.read(file);
            keys = read;
            seenVersion = version;
            LOG.info("keys file {}: {} API keys", file, read.size());
        } catch (IOException | IllegalArgumentException e) {
            // The message names the file and line, never a key or hash.
            LOG.error("keys file {} not loaded: {}; keeping the {} keys read before", file, e.getMessage(), keys.size());
            seenVersion = version;
        }
    }
}
