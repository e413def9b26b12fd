package io.warmstream.model.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryTreeTest {

    @Test
    void deleteRemovesATreeAndDeleteContentsKeepsItsRoot(@TempDir Path dir) throws IOException {
        Path root = dir.resolve("work");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f.bin"), "x");
        Files.writeString(root.resolve("g.txt"), "y");

        DirectoryTree.deleteContents(root);
        assertTrue(Files.isDirectory(root));
        assertEquals(List.of(), list(root));

        Files.writeString(root.resolve("h.txt"), "z");
        DirectoryTree.delete(root);
        assertFalse(Files.exists(root));
        DirectoryTree.delete(root); // absent: nothing to do
        DirectoryTree.deleteContents(root);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
