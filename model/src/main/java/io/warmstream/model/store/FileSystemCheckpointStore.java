package io.warmstream.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A checkpoint store on a local or shared filesystem (NFS, a Kubernetes volume, a Compose volume).
 *
 * <p>{@link #put} copies into a hidden temporary directory beside the target and renames it into place, so a
 * crash mid-copy leaves only a temporary directory (named {@code .tmp-*}, ignored by readers) and never a partial
 * model under a real key. The next put of the same key removes what such a crash left for it: every writer redoes an
 * interrupted put under the same key (trainers per job, the merger per version), so nothing stays behind for long.
 * A put running at the same moment for the same key may lose its temporary directory; it then fails as an outage,
 * and its caller retries.
 */
public final class FileSystemCheckpointStore implements CheckpointStore {

    private final Path root;

    public FileSystemCheckpointStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint store " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public URI put(String key, Path localModelDirectory) {
        Path target = resolve(key);
        requireRoot(); // never recreate a vanished (unmounted) store root underneath its mount point
        try {
            Files.createDirectories(target.getParent());
            discardUnfinished(target);
            Path staging = target.resolveSibling(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
            copyTree(localModelDirectory, staging);
            replace(staging, target);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(localModelDirectory)) {
                throw new UncheckedIOException("cannot store " + localModelDirectory + ": it is not a directory", e);
            }
            throw new StoreUnavailableException("cannot store " + localModelDirectory + " as " + key + " in " + root, e);
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot store " + localModelDirectory + " as " + key + " in " + root, e);
        }
        return target.toUri();
    }

    @Override
    public Path fetch(URI uri) {
        Path dir = local(uri);
        if (!Files.isDirectory(dir)) {
            requireReachable(uri); // absent from a store we cannot see into is an outage, not a missing model
            throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null, "no model stored at " + uri));
        }
        return dir;
    }

    /**
     * The root and every directory on the way to {@code uri} must exist (the root) and be listable directories: a
     * store root that vanished (unmounted), became a file or lost its permissions is an outage.
     */
    @Override
    public void requireReachable(URI uri) {
        requireRoot();
        Path dir = local(uri);
        for (Path p = dir.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            if (Files.exists(p) && !listable(p)) {
                throw new StoreUnavailableException("the checkpoint store cannot be read at " + p,
                        new IOException(p + " is not a readable directory"));
            }
        }
    }

    private void requireRoot() {
        if (!listable(root)) {
            throw new StoreUnavailableException("the checkpoint store " + root + " cannot be reached",
                    new IOException(root + (Files.exists(root) ? " is not a readable directory" : " does not exist")));
        }
    }

    private static boolean listable(Path p) {
        return Files.isDirectory(p) && Files.isReadable(p) && Files.isExecutable(p);
    }

    @Override
    public boolean exists(URI uri) {
        return Files.isDirectory(local(uri));
    }

    @Override
    public void delete(URI uri) {
        DirectoryTree.delete(local(uri));
    }

    @Override
    public URI uriOf(String key) {
        return resolve(key).toUri();
    }

    private Path resolve(String key) {
        Path target = root.resolve(key).normalize();
        if (key.isBlank() || !target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("checkpoint key '" + key + "' must name a directory inside " + root);
        }
        return target;
    }

    private Path local(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("this filesystem store cannot read " + uri);
        }
        Path dir = Path.of(uri).toAbsolutePath().normalize();
        if (!dir.startsWith(root)) {
            throw new IllegalArgumentException(uri + " is outside the checkpoint store " + root);
        }
        return dir;
    }

    /**
     * Renames staging onto target. Directories cannot be renamed over a non-empty one, so an existing model is
     * first moved aside; between the two renames a reader briefly sees no model (and retries), never a partial one.
     */
    private static void replace(Path staging, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(".tmp-old-" + target.getFileName() + "-" + UUID.randomUUID());
            atomicMove(target, old);
        }
        atomicMove(staging, target);
        if (old != null) {
            DirectoryTree.delete(old);
        }
    }

    /** Deletes {@code .tmp-<name>-<uuid>} and {@code .tmp-old-<name>-<uuid>} siblings of target: crashed puts' leftovers. */
    private static void discardUnfinished(Path target) throws IOException {
        String name = target.getFileName().toString();
        try (Stream<Path> siblings = Files.list(target.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String sibling = p.getFileName().toString();
                if (isTemporaryOf(sibling, ".tmp-" + name + "-") || isTemporaryOf(sibling, ".tmp-old-" + name + "-")) {
                    DirectoryTree.delete(p);
                }
            }
        }
    }

    /** Exactly prefix plus a UUID, so key {@code job-1} never claims {@code job-1-2}'s temporaries. */
    private static boolean isTemporaryOf(String sibling, String prefix) {
        if (!sibling.startsWith(prefix)) {
            return false;
        }
        try {
            String rest = sibling.substring(prefix.length());
            return rest.length() == 36 && UUID.fromString(rest).toString().equals(rest);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void atomicMove(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the checkpoint store's filesystem cannot rename atomically", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new NoSuchFileException(from.toString(), null, "not a model directory");
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

}
