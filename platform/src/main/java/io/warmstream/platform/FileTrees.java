package io.warmstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting directory trees, children first. (The model module, which sits below this one, keeps its own
 * {@code DirectoryTree} for its stores.)
 */
public final class FileTrees {

    private FileTrees() {
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
