package io.warmstream.model.features;

import static io.warmstream.model.features.MemoryFeatureStoreTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFeatureStoreTest {

    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    private static float[] values(int n, int seed) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.sin(seed * 31 + i) * (i % 7 == 0 ? -0.0f : 1f);
        }
        return out;
    }

    private Path fileOf(SequenceKey key) {
        return dir.resolve(key.hex() + DiskFeatureStore.SUFFIX);
    }

    @Test
    void aSecondStoreOverTheSameDirectoryFindsWhatTheFirstWrote() throws IOException {
        DiskFeatureStore writer = new DiskFeatureStore(dir, MB);
        writer.put(key(1), values(96, 1));
        writer.put(key(2), values(64, 2));
        DiskFeatureStore reader = new DiskFeatureStore(dir, MB);
        assertArrayEquals(values(96, 1), reader.get(key(1)));
        assertArrayEquals(values(64, 2), reader.get(key(2)));
        assertNull(reader.get(key(3)));
        assertEquals(writer.bytes(), reader.bytes(), "the second store counted the first one's files");
        assertEquals(0, reader.corrupt());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void corruptShortOrForeignFilesAreMissesAndAreDeleted() throws IOException {
        DiskFeatureStore store = new DiskFeatureStore(dir, MB);
        for (int i = 0; i < 4; i++) {
            store.put(key(i), values(50, i));
        }
        byte[] flipped = Files.readAllBytes(fileOf(key(0)));
        flipped[flipped.length - 3] ^= 0x10;
        Files.write(fileOf(key(0)), flipped);
        byte[] whole = Files.readAllBytes(fileOf(key(1)));
        Files.write(fileOf(key(1)), java.util.Arrays.copyOf(whole, whole.length - 8));
        Files.write(fileOf(key(2)), new byte[5]);
        Files.copy(fileOf(key(3)), fileOf(key(4))); // a valid file under another key's name

        for (int i = 0; i <= 4; i++) {
            if (i == 3) {
                continue;
            }
            assertNull(store.get(key(i)), "file " + i + " must be a miss");
            assertFalse(Files.exists(fileOf(key(i))), "file " + i + " must be deleted");
        }
        assertEquals(4, store.corrupt());
        assertArrayEquals(values(50, 3), store.get(key(3)), "the intact file still reads");
        store.put(key(0), values(50, 0));
        assertArrayEquals(values(50, 0), new DiskFeatureStore(dir, MB).get(key(0)), "rewritten after the miss");
    }

    @Test
    void theLeastRecentlyUsedFilesAreEvictedToKeepTheBudget() throws IOException {
        long fileBytes = FeatureFile.HEADER + 4L * 1000;
        DiskFeatureStore store = new DiskFeatureStore(dir, 10 * fileBytes);
        for (int i = 0; i < 8; i++) {
            store.put(key(i), values(1000, i));
            Files.setLastModifiedTime(fileOf(key(i)), FileTime.from(Instant.now().minusSeconds(1000 - i)));
        }
        assertArrayEquals(values(1000, 0), store.get(key(0)), "a hit makes 0 the most recently used");
        for (int i = 8; i < 14; i++) {
            store.put(key(i), values(1000, i));
            assertTrue(directoryBytes() <= 10 * fileBytes, "over budget after put " + i);
        }
        assertTrue(Files.exists(fileOf(key(0))), "the file read last survives");
        assertFalse(Files.exists(fileOf(key(1))), "the oldest untouched file goes first");
        assertTrue(Files.exists(fileOf(key(13))));
        assertTrue(store.evictions() >= 4);
        assertEquals(directoryBytes(), store.bytes());
    }

    @Test
    void abandonedTemporaryFilesAreRemovedAndNeverRead() throws IOException {
        Path stale = dir.resolve(".abc.123-1.tmp");
        Files.write(stale, new byte[100]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minusSeconds(3600)));
        Path fresh = dir.resolve(".def.123-2.tmp");
        Files.write(fresh, new byte[100]);
        DiskFeatureStore store = new DiskFeatureStore(dir, MB);
        assertFalse(Files.exists(stale), "a writer that old is dead");
        assertTrue(Files.exists(fresh), "a writer may still rename this one");
        assertEquals(0, store.bytes(), "temporary files do not count as features");
    }

    private long directoryBytes() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
