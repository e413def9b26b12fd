package io.warmstream.scorer;

import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.scorer.export.ModelArchive;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpacks export archives independently of the writer, and has Python's tarfile/zipfile read them when it can. */
final class ArchiveContents {

    private ArchiveContents() {
    }

    /** Extracts into {@code dir}, checks the entries are exactly the model files and that the directory verifies. */
    static void extract(byte[] archive, String format, Path dir) throws IOException {
        List<String> names = format.equals("zip") ? unzip(archive, dir) : untar(archive, dir);
        assertEquals(ModelArchive.FILES, names);
        ModelDirectory.verify(dir); // every SHA-256 recorded in warmstream.json matches
    }

    private static List<String> unzip(byte[] archive, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                Files.copy(zip, dir.resolve(e.getName()));
            }
        }
        return names;
    }

    /** A minimal ustar reader: 512-byte headers, octal sizes, data padded to 512, two zero blocks at the end. */
    private static List<String> untar(byte[] archive, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
            byte[] header = new byte[512];
            while (true) {
                in.readFully(header);
                if (allZero(header)) {
                    in.readFully(header);
                    assertTrue(allZero(header), "end-of-archive is two zero blocks");
                    assertEquals(-1, in.read(), "nothing after the end-of-archive marker");
                    return names;
                }
                String name = new String(header, 0, 100, StandardCharsets.UTF_8).replace("\0", "");
                long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
                assertEquals("ustar", new String(header, 257, 5, StandardCharsets.US_ASCII));
                byte[] data = new byte[(int) size];
                in.readFully(data);
                in.skipNBytes((512 - size % 512) % 512);
                Files.write(dir.resolve(name), data);
                names.add(name);
            }
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /** If python3 is installed, its tarfile/zipfile must list the same files with the same sizes. */
    static void assertPythonReads(byte[] archive, String format, Path tmp) throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder("python3", "-c", "print(1)").redirectErrorStream(true).start();
        } catch (IOException e) {
            return; // no python3 here
        }
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            return;
        }
        Path file = Files.createTempFile(tmp, "export", "." + format);
        Files.write(file, archive);
        String script = format.equals("zip")
                ? "import sys,zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, i.file_size)"
                : "import sys,tarfile\nfor m in tarfile.open(sys.argv[1], 'r:gz').getmembers(): print(m.name, m.size, m.isfile())";
        Process p = new ProcessBuilder("python3", "-c", script, file.toString()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals(ModelArchive.FILES.size(), lines.size(), out);
        for (int i = 0; i < lines.size(); i++) {
            assertTrue(lines.get(i).startsWith(ModelArchive.FILES.get(i) + " "), out);
            if (format.equals("tar.gz")) assertTrue(lines.get(i).endsWith(" True"), out);
        }
    }
}
