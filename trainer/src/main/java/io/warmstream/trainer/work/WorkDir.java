package io.warmstream.trainer.work;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** The worker's scratch directory: model directories and heads are assembled here, then copied to the store. */
final class WorkDir {

    private final Path root;

    WorkDir(Path root) {
        try {
            this.root = Files.createDirectories(root.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the worker's directory " + root, e);
        }
    }

    /** A path for a new directory named after {@code name}, not yet created. */
    Path fresh(String name) {
        return root.resolve(name + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** Deletes a tree below the work directory; missing is fine. */
    void delete(Path dir) {
        if (dir == null || !dir.toAbsolutePath().startsWith(root) || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
