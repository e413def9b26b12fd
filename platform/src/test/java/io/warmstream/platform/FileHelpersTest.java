package io.warmstream.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileHelpersTest {

    @Test
    void anAtomicWriteReplacesTheFileAndAFailedOneLeavesTheOldContentAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sub/state.properties");
        AtomicFiles.write(file, out -> out.write("v1".getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(file, out -> out.write("v2".getBytes(StandardCharsets.UTF_8)));
        assertEquals("v2", Files.readString(file));

        IOException failure = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", failure.getMessage());
        assertEquals("v2", Files.readString(file), "a failed write leaves the old content");
        assertEquals(List.of(file), list(file.getParent()), "and no temporary file");
    }

    @Test
    void deleteRemovesATreeAndDeleteContentsKeepsItsRoot(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("work");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f.bin"), "x");
        Files.writeString(root.resolve("g.txt"), "y");

        FileTrees.deleteContents(root);
        assertTrue(Files.isDirectory(root));
        assertEquals(List.of(), list(root));

        Files.writeString(root.resolve("h.txt"), "z");
        FileTrees.delete(root);
        assertFalse(Files.exists(root));
        FileTrees.delete(root); // absent: nothing to do
        FileTrees.deleteContents(root);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
