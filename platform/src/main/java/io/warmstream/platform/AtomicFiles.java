package io.warmstream.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writing a file whole or not at all, so a crash or a concurrent reader never sees half of it. */
public final class AtomicFiles {

    /** What goes into the file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Temporary files start with this, so that a directory listing can pass over them. */
    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} to a hidden sibling ({@value #TEMP_PREFIX}{@code <name>-<random>}) and moves it over
     * {@code file} in one atomic rename (a plain replace where the file system cannot rename atomically). The
     * parent directory is created if missing; the temporary file is deleted if anything fails.
     */
    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TEMP_PREFIX + file.getFileName() + "-" + UUID.randomUUID());
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
