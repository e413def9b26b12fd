package io.warmstream.local.feed;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where the simulated labelling pipeline is, kept in a small properties file written atomically after ingest
 * acknowledges each batch, so a restarted demo continues with the next label instead of resending or skipping.
 *
 * @param seed      the preference world's seed (labels of another seed have other ids)
 * @param nextIndex the first label not yet acknowledged by ingest
 */
public record FeedState(long seed, long nextIndex) {

    public static FeedState fresh(long seed) {
        return new FeedState(seed, 0);
    }

    public FeedState advancedTo(long next) {
        return new FeedState(seed, next);
    }

    /** The saved state, or empty-handed {@code fallback} when there is no file or it belongs to another seed. */
    public static FeedState load(Path file, FeedState fallback) {
        if (!Files.isRegularFile(file)) {
            return fallback;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            long seed = Long.parseLong(p.getProperty("seed").trim());
            if (seed != fallback.seed()) {
                return fallback;
            }
            return new FeedState(seed, Long.parseLong(p.getProperty("next-index").trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e + "); delete it to let the demo find its place from Kafka", e);
        }
    }

    public void save(Path file) {
        Properties p = new Properties();
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("next-index", Long.toString(nextIndex));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(out, "warm demo: the simulated labelling pipeline's position");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
