package io.warmstream.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryDistributionTest {

    @Test
    void concurrentUnpacksIntoAFreshCacheAgreeAndLeaveNoDebris(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("apicurio");
        Path archive = RegistryDistribution.archive();
        List<CompletableFuture<Path>> runs = List.of(
                CompletableFuture.supplyAsync(() -> RegistryDistribution.runnerJar(cache, () -> archive)),
                CompletableFuture.supplyAsync(() -> RegistryDistribution.runnerJar(cache, () -> archive)));
        Path first = runs.get(0).get();
        assertEquals(first, runs.get(1).get());
        assertTrue(Files.isRegularFile(first) && first.getFileName().toString().endsWith("-runner.jar"), first.toString());
        assertTrue(Files.isDirectory(cache.resolve("lib")));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(cache), left.toList(), "only the cache directory remains");
        }
        // Once unpacked, the archive is not needed any more.
        assertEquals(first, RegistryDistribution.runnerJar(cache, () -> {
            throw new AssertionError("archive looked up although the cache is complete");
        }));
    }

    @Test
    void missingArchiveIsAClearError(@TempDir Path tmp) {
        System.setProperty(RegistryDistribution.ARCHIVE_PROPERTY, tmp.resolve("nope.tar.gz").toString());
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class, RegistryDistribution::archive);
            assertTrue(e.getMessage().contains("nope.tar.gz") && e.getMessage().contains("WARM_REGISTRY_ARCHIVE"), e.getMessage());
        } finally {
            System.clearProperty(RegistryDistribution.ARCHIVE_PROPERTY);
        }
    }
}
