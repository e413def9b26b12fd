package io.warmstream.model.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hidden states in a directory, one {@link FeatureFile} per key ({@code <64 hex>.wsfc}), bounded by bytes: once the
 * files pass the budget, the least recently used (oldest modification time; a hit touches its file) are deleted
 * until 90% of the budget is left.
 *
 * <p>Shared by processes: the workers of one machine may point at one directory. A file is written under a
 * temporary name and renamed into place, which is atomic on POSIX file systems, so a reader sees a whole file or
 * none; two writers of one key write the same bytes and the last rename wins. Each process counts its own writes
 * and rescans the directory when its estimate passes the budget or after writing an eighth of it, so the directory
 * stays within about budget x (1 + processes / 8). A corrupt or short file is a miss and is deleted. I/O errors
 * are misses or skipped writes, logged, never thrown: the cache must not fail a training.
 */
public final class DiskFeatureStore {

    static final String SUFFIX = ".wsfc";
    private static final String TEMP_SUFFIX = ".tmp";
    /** A temporary file this old belongs to a writer that died: nobody will rename it. */
    private static final Duration ABANDONED = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(DiskFeatureStore.class);
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();

    private record Entry(Path path, long size, long modified) {
    }

    private final Path dir;
    private final long budgetBytes;
    private final AtomicLong corrupt = new AtomicLong();
    private long estimatedBytes;
    private long writtenSinceScan;
    private long evictions;
    private boolean writeFailureLogged;

    /** Opens (creating it if needed) {@code dir}; a directory that cannot be created is a configuration error. */
    public DiskFeatureStore(Path dir, long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("disk budget must be > 0 bytes, got " + budgetBytes);
        }
        this.dir = dir;
        this.budgetBytes = budgetBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the feature cache directory " + dir, e);
        }
        synchronized (this) {
            scanAndEvict();
            LOG.info("feature cache directory {}: {} MB of {} MB in use", dir, estimatedBytes / 1_000_000,
                    budgetBytes / 1_000_000);
        }
    }

    /** The hidden state stored under {@code key}, or null (absent, unreadable, or corrupt: then it is deleted). */
    public float[] get(SequenceKey key) {
        Path file = fileOf(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.debug("feature cache file {} unreadable: {}", file, e.toString());
            return null;
        }
        try {
            float[] hidden = FeatureFile.decode(bytes, key);
            touch(file);
            return hidden;
        } catch (FeatureFile.CorruptException e) {
            corrupt.incrementAndGet();
            LOG.warn("feature cache file {} is unusable ({}): deleted, the hidden state is computed again", file,
                    e.getMessage());
            deleteQuietly(file);
            return null;
        }
    }

    /** Writes {@code hidden} under {@code key} unless a file is there already (another worker wrote it). */
    public void put(SequenceKey key, float[] hidden) {
        Path file = fileOf(key);
        if (Files.exists(file)) {
            return;
        }
        byte[] bytes = FeatureFile.encode(key, hidden);
        Path temp = dir.resolve("." + key.hex() + "." + ProcessHandle.current().pid() + "-"
                + TEMP_COUNTER.incrementAndGet() + TEMP_SUFFIX);
        try {
            Files.write(temp, bytes);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            synchronized (this) {
                if (!writeFailureLogged) {
                    writeFailureLogged = true;
                    LOG.warn("cannot write to the feature cache directory {} ({}): hidden states stay in memory "
                            + "only until writing works again (logged once)", dir, e.toString());
                }
            }
            return;
        }
        added(bytes.length);
    }

    public Path directory() {
        return dir;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Bytes of feature files, as of this process's last scan plus its own writes since. */
    public synchronized long bytes() {
        return estimatedBytes;
    }

    /** Files this process deleted to keep the budget. */
    public synchronized long evictions() {
        return evictions;
    }

    /** Corrupt files found (and deleted) by this process. */
    public long corrupt() {
        return corrupt.get();
    }

    private synchronized void added(long bytes) {
        estimatedBytes += bytes;
        writtenSinceScan += bytes;
        if (estimatedBytes > budgetBytes || writtenSinceScan > budgetBytes / 8) {
            scanAndEvict();
        }
    }

    /** Sums the feature files (other processes write too), evicts the oldest if over budget, drops abandoned temps. */
    private void scanAndEvict() {
        List<Entry> files = new ArrayList<>();
        long total = 0;
        long abandonedBefore = Instant.now().minus(ABANDONED).toEpochMilli();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class);
                } catch (IOException e) {
                    continue; // deleted meanwhile by another process
                }
                if (name.endsWith(TEMP_SUFFIX) && a.lastModifiedTime().toMillis() < abandonedBefore) {
                    deleteQuietly(p);
                } else if (name.endsWith(SUFFIX)) {
                    files.add(new Entry(p, a.size(), a.lastModifiedTime().toMillis()));
                    total += a.size();
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list the feature cache directory {}: {}", dir, e.toString());
            return;
        }
        if (total > budgetBytes) {
            files.sort(Comparator.comparingLong(Entry::modified));
            long target = budgetBytes - budgetBytes / 10;
            for (Entry f : files) {
                if (total <= target) {
                    break;
                }
                if (deleteQuietly(f.path())) {
                    evictions++;
                }
                total -= f.size();
            }
        }
        estimatedBytes = total;
        writtenSinceScan = 0;
    }

    private Path fileOf(SequenceKey key) {
        return dir.resolve(key.hex() + SUFFIX);
    }

    /** Marks a hit, so that eviction takes the least recently used. */
    private static void touch(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // evicted by another process since it was read: nothing to mark
        }
    }

    private static boolean deleteQuietly(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
