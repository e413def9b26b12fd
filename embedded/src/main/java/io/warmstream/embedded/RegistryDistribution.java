package io.warmstream.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds the Apicurio Registry distribution that Maven fetched (a tar.gz in the local repository) and
 * unpacks it once into a cache directory, so no registry is ever downloaded at run time.
 *
 * <p>Lookup order for the archive: system property {@value #ARCHIVE_PROPERTY}, environment variable
 * {@value #ARCHIVE_ENV}, then the path recorded at build time in {@code registry.properties}. The cache
 * directory is {@value #CACHE_PROPERTY} / {@value #CACHE_ENV}, by default
 * {@code ~/.cache/warmstream/apicurio-<version>}. Several JVMs may unpack at once: each unpacks into a
 * private directory and renames it into place atomically, the first one wins.
 */
final class RegistryDistribution {

    static final String ARCHIVE_PROPERTY = "warm.registry.archive";
    static final String ARCHIVE_ENV = "WARM_REGISTRY_ARCHIVE";
    static final String CACHE_PROPERTY = "warm.registry.cache-dir";
    static final String CACHE_ENV = "WARM_REGISTRY_CACHE_DIR";

    private static final Logger LOG = LoggerFactory.getLogger(RegistryDistribution.class);

    private RegistryDistribution() {
    }

    /** The registry's version, as built against. */
    static String version() {
        return buildProperties().getProperty("version");
    }

    /** The runner jar of an unpacked distribution, unpacking the archive first if needed. */
    static Path runnerJar() {
        return runnerJar(cacheDir(), RegistryDistribution::archive);
    }

    /** As {@link #runnerJar()} with an explicit cache directory; the archive is only looked for if needed. */
    static Path runnerJar(Path cache, java.util.function.Supplier<Path> archive) {
        Path jar = findRunner(cache);
        if (jar != null) {
            return jar;
        }
        unpack(archive.get(), cache);
        jar = findRunner(cache);
        if (jar == null) {
            throw new IllegalStateException("no *-runner.jar in unpacked Apicurio distribution " + cache);
        }
        return jar;
    }

    static Path cacheDir() {
        String configured = setting(CACHE_PROPERTY, CACHE_ENV);
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "warmstream", "apicurio-" + version());
    }

    static Path archive() {
        String configured = setting(ARCHIVE_PROPERTY, ARCHIVE_ENV);
        Path archive = Path.of(configured != null ? configured : buildProperties().getProperty("archive"));
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Apicurio Registry distribution not found at " + archive
                    + ". Build once with Maven online (it fetches io.apicurio:apicurio-registry-app:" + version()
                    + ":tar.gz:all), or point -D" + ARCHIVE_PROPERTY + " / " + ARCHIVE_ENV + " at that tar.gz.");
        }
        return archive;
    }

    private static Path findRunner(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void unpack(Path archive, Path cache) {
        long t0 = System.nanoTime();
        Path tmp = cache.resolveSibling(cache.getFileName() + ".unpacking-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            // The system tar is fast and present on Linux, macOS and Windows 10+; no extra jar on every classpath.
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", tmp.toString())
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream in = tar.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                throw new IllegalStateException("tar failed unpacking " + archive + ": " + output);
            }
            try {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Unpacked Apicurio Registry into {} in {} ms", cache, (System.nanoTime() - t0) / 1_000_000);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another JVM finished first (or the target exists but is empty); keep theirs.
                LOG.info("Apicurio Registry already unpacked in {} ({})", cache, e.getClass().getSimpleName());
            } catch (IOException e) {
                if (findRunner(cache) == null) {
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + " into " + cache, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + archive, e);
        } finally {
            EmbeddedKafka.deleteRecursively(tmp);
        }
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = RegistryDistribution.class.getResourceAsStream("registry.properties")) {
            if (in == null) {
                throw new IllegalStateException("registry.properties missing from the warmstream-embedded jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
