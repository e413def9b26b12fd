package io.warmstream.local.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Files a crash left behind, looked for after every service has stopped gracefully: staging directories in the
 * store ({@code .tmp-*}), checkpoint directories of jobs that never published a checkpoint, and any file left in a
 * trainer's or the merger's scratch directory (a stopped trainer has no job in progress, and the merger empties its
 * directory when it takes ownership). Scorer export caches are caches, not scratch, and are not looked at.
 */
final class Orphans {

    private Orphans() {
    }

    static List<String> find(Path store, Path work, Collection<String> checkpointJobIds) {
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(store)) {
            try (Stream<Path> paths = Files.walk(store)) {
                paths.filter(p -> p.getFileName().toString().startsWith(".tmp"))
                        .forEach(p -> found.add("store/" + store.relativize(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path checkpoints = store.resolve("checkpoints");
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> paths = Files.walk(checkpoints, 2)) {
                    paths.filter(p -> p.getNameCount() == checkpoints.getNameCount() + 2 && Files.isDirectory(p))
                            .filter(p -> !p.getFileName().toString().startsWith(".tmp"))
                            .filter(p -> !checkpointJobIds.contains(p.getFileName().toString()))
                            .forEach(p -> found.add("store/" + store.relativize(p) + " (no checkpoint record)"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (Files.isDirectory(work)) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.filter(Files::isRegularFile)
                        .filter(p -> !work.relativize(p).getName(0).toString().endsWith("-exports"))
                        .forEach(p -> found.add("work/" + work.relativize(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }
}
