package io.warmstream.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting directory trees, children first. The one copy for every module: it lives here, at the bottom, because
 * the stores need it and every module that deletes trees already depends on model (platform does not, so that
 * ingest stays free of DJL).
 */
public final class DirectoryTree {

    private DirectoryTree() {
    }

    /** Deletes {@code dir} and everything in it; nothing happens if it does not exist. */
    public static void delete(Path dir) {
        deleteBelow(dir, true);
    }

    /** Deletes everything in {@code dir} but keeps {@code dir}; nothing happens if it does not exist. */
    public static void deleteContents(Path dir) {
        deleteBelow(dir, false);
    }

    private static void deleteBelow(Path dir, boolean andDir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (andDir || !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + (andDir ? "" : "the contents of ") + dir, e);
        }
    }
}
