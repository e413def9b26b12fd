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
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
