package io.warmstream.scorer.export;

import io.warmstream.model.weights.ModelDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a model directory as an archive whose root holds {@code model.safetensors}, {@code config.json},
 * {@code tokenizer.json} and {@code warmstream.json}: unpacked, it is a directory that
 * {@code AutoModelForSequenceClassification.from_pretrained} loads. The tar is plain POSIX ustar (what Python's
 * {@code tarfile} and GNU tar read); the zip is {@code java.util.zip}'s.
 */
public final class ModelArchive {

    /** The files of a model directory, in archive order. */
    public static final List<String> FILES = List.of(ModelDirectory.WEIGHTS_FILE, ModelDirectory.CONFIG_FILE,
            ModelDirectory.TOKENIZER_FILE, ModelDirectory.MANIFEST_FILE);

    private static final int BLOCK = 512;

    private ModelArchive() {
    }

    public static void write(Path modelDir, ArchiveFormat format, OutputStream out) throws IOException {
        write(modelDir, format, out, java.util.Map.of());
    }

    /** With {@code extra} files (name to content) after the model files, e.g. {@code reward_scale.json}. */
    public static void write(Path modelDir, ArchiveFormat format, OutputStream out, java.util.Map<String, byte[]> extra)
            throws IOException {
        switch (format) {
            case TAR_GZ -> writeTarGz(modelDir, out, extra);
            case ZIP -> writeZip(modelDir, out, extra);
        }
    }

    private static void writeZip(Path dir, OutputStream out, java.util.Map<String, byte[]> extra) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (String name : FILES) {
            Path file = dir.resolve(name);
            ZipEntry e = new ZipEntry(name);
            e.setLastModifiedTime(Files.getLastModifiedTime(file));
            zip.putNextEntry(e);
            Files.copy(file, zip);
            zip.closeEntry();
        }
        for (java.util.Map.Entry<String, byte[]> x : extra.entrySet()) {
            zip.putNextEntry(new ZipEntry(x.getKey()));
            zip.write(x.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    private static void writeTarGz(Path dir, OutputStream out, java.util.Map<String, byte[]> extra) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
        for (String name : FILES) {
            Path file = dir.resolve(name);
            long size = Files.size(file);
            gz.write(tarHeader(name, size, Files.getLastModifiedTime(file).toMillis() / 1000));
            long copied;
            try (InputStream in = Files.newInputStream(file)) {
                copied = in.transferTo(gz);
            }
            if (copied != size) {
                throw new IOException(file + " changed while being archived");
            }
            int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
            gz.write(new byte[pad]);
        }
        long now = System.currentTimeMillis() / 1000;
        for (java.util.Map.Entry<String, byte[]> x : extra.entrySet()) {
            gz.write(tarHeader(x.getKey(), x.getValue().length, now));
            gz.write(x.getValue());
            gz.write(new byte[(BLOCK - x.getValue().length % BLOCK) % BLOCK]);
        }
        gz.write(new byte[2 * BLOCK]); // end-of-archive marker
        gz.finish();
    }

    static byte[] tarHeader(String name, long size, long mtimeSeconds) {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("tar entry name too long: " + name);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtimeSeconds);
        for (int i = 148; i < 156; i++) {
            h[i] = ' '; // the checksum counts its own field as spaces
        }
        h[156] = '0'; // regular file
        ascii(h, 257, "ustar\0");
        ascii(h, 263, "00");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String chk = String.format("%06o", sum);
        ascii(h, 148, chk);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** Zero-padded octal with a terminating NUL, filling {@code width} bytes. */
    private static void octal(byte[] h, int offset, int width, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > width - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit a " + width + "-byte tar field");
        }
        ascii(h, offset, "0".repeat(width - 1 - s.length()) + s);
        h[offset + width - 1] = 0;
    }

    private static void ascii(byte[] h, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, b.length);
    }
}
