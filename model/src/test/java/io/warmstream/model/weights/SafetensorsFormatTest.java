package io.warmstream.model.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsFormatTest {

    @TempDir
    Path tmp;

    private Path writeAwkward() {
        Path file = tmp.resolve("w.safetensors");
        List<NamedTensor> tensors = Fixtures.awkwardTensors();
        try (SafetensorsWriter writer = SafetensorsWriter.create(file,
                tensors.stream().map(TensorSpec::of).toList(), SafetensorsWriter.PYTORCH_METADATA)) {
            for (NamedTensor t : tensors) {
                writer.write(t.data());
            }
            String sha = writer.finish();
            assertEquals(Sha256.ofFile(file), sha, "sha computed while writing == sha of the file");
        }
        return file;
    }

    @Test
    void layoutFollowsTheSpec() throws IOException {
        Path file = writeAwkward();
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data section starts 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\"},"), header);
        assertTrue(header.stripTrailing().endsWith("}"));
        assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '), "padded with spaces");
        assertTrue(header.contains("\"bert.embeddings.word_embeddings.weight\":{\"dtype\":\"F32\",\"shape\":[600,500],"
                + "\"data_offsets\":[0,1200000]}"), header);
        assertTrue(header.contains("\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[1200040,1200044]}"), header);
        assertTrue(header.contains("\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[1200044,1200044]}"), header);
        assertEquals(8 + n + 1200048, bytes.length);
        // first element of the big tensor, little-endian, right at the data start
        float first = ByteBuffer.wrap(bytes, (int) (8 + n + 4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(Float.floatToRawIntBits((float) Math.sin(0.001) * 0.02f), Float.floatToRawIntBits(first));
    }

    @Test
    void readsBackBitExactlyWholeAndInRanges() {
        Path file = writeAwkward();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt"), reader.metadata());
            List<NamedTensor> expected = Fixtures.awkwardTensors();
            assertEquals(expected.stream().map(NamedTensor::name).toList(),
                    reader.tensors().stream().map(TensorInfo::name).toList(), "file order = declared order");
            for (NamedTensor t : expected) {
                TensorInfo info = reader.tensor(t.name());
                assertEquals(DType.F32, info.dtype());
                assertArrayEquals(t.shape(), info.shape());
                assertTrue(t.sameContent(new NamedTensor(t.name(), info.shape(), reader.readFloats(info))), t.name());
            }
            TensorInfo big = reader.tensor("bert.embeddings.word_embeddings.weight");
            float[] part = new float[1000];
            reader.readFloats(big, 299_000, part, 0, 1000);
            assertArrayEquals(Arrays.copyOfRange(expected.get(0).data(), 299_000, 300_000), part);
        }
    }

    @Test
    void widensF16AndBf16Exactly() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[0,12]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[12,18]}}";
        byte[] data = new byte[18];
        System.arraycopy(Fixtures.shortsLE(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8400), 0, data, 0, 12);
        System.arraycopy(Fixtures.shortsLE(0x3F80, 0xC2F7, 0xFF80), 0, data, 12, 6);
        Path file = Fixtures.rawFile(tmp.resolve("half.safetensors"), header, data);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, -0x1p-14f},
                    reader.readFloats("h"));
            assertArrayEquals(new float[] {1f, -123.5f, Float.NEGATIVE_INFINITY}, reader.readFloats("b"));
        }
    }

    @Test
    void f16SubnormalsAndNormalsMatchJavaRounding() {
        for (int h = 0; h < 0x7C00; h++) {
            float f = HalfPrecision.f16ToFloat((short) h);
            int exponent = h >>> 10;
            int mantissa = h & 0x3ff;
            double expected = exponent == 0 ? mantissa * Math.pow(2, -24) : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            assertEquals(expected, f, 0.0, "half 0x" + Integer.toHexString(h));
            assertEquals(-expected, HalfPrecision.f16ToFloat((short) (h | 0x8000)), 0.0);
        }
    }

    // --- refusals: each names the file and the fault ------------------------------------------------------------

    private String refusal(String header, byte[] data) throws IOException {
        Path file = Fixtures.rawFile(tmp.resolve("bad.safetensors"), header, data);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 2);
    }

    private static final String ONE = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void refusesBadHeaderJson() throws IOException {
        assertTrue(refusal("{\"t\": [1, 2", new byte[0]).startsWith("header is not valid JSON: "));
        assertEquals("header does not start with '{' (not a safetensors file?)", refusal("[1]", new byte[0]));
        assertTrue(refusal("{\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0])
                .startsWith("header is not valid JSON: Duplicate field 't'"));
        assertEquals("tensor t: unknown dtype \"F33\"",
                refusal(ONE.replace("F32", "F33"), Fixtures.floatsLE(1, 2)));
        assertEquals("tensor t: shape must be an array of non-negative integers, found [-2]",
                refusal(ONE.replace("[2]", "[-2]"), Fixtures.floatsLE(1, 2)));
        assertEquals("__metadata__.format must be a string",
                refusal("{\"__metadata__\":{\"format\":1}}", new byte[0]));
    }

    @Test
    void refusesOffsetsOutOfRange() throws IOException {
        assertEquals("tensor t: data_offsets [0,800] out of range: the data section holds only 8 bytes (file truncated?)",
                refusal(ONE.replace("[0,8]", "[0,800]").replace("[2]", "[200]"), Fixtures.floatsLE(1, 2)));
    }

    @Test
    void refusesSizeMismatchOverlapGapAndTrailingBytes() throws IOException {
        assertEquals("tensor t: data_offsets [0,8] span 8 bytes but F32 [3] needs 12",
                refusal(ONE.replace("[2]", "[3]"), Fixtures.floatsLE(1, 2)));
        assertEquals("tensor u: data_offsets [4,12] overlap tensor t ending at 8",
                refusal("{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"u\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", Fixtures.floatsLE(1, 2, 3)));
        assertEquals("tensor t: data_offsets [4,12] leave a gap after byte 0",
                refusal(ONE.replace("[0,8]", "[4,12]"), Fixtures.floatsLE(1, 2, 3)));
        assertEquals("4 bytes after the last tensor (file has trailing data or was altered)",
                refusal(ONE, Fixtures.floatsLE(1, 2, 3)));
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        Path good = writeAwkward();
        byte[] bytes = Files.readAllBytes(good);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();

        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SafetensorsReader.open(cut));
        assertEquals(cut + ": tensor classifier.bias: data_offsets [1200044,1200048] out of range: "
                + "the data section holds only 1200045 bytes (file truncated?)", e.getMessage());

        Files.write(cut, Arrays.copyOf(bytes, 100));
        e = assertThrows(ModelFormatException.class, () -> SafetensorsReader.open(cut));
        assertEquals(cut + ": header length " + n + " exceeds the file size 100 (file truncated?)", e.getMessage());

        Files.write(cut, Arrays.copyOf(bytes, 5));
        e = assertThrows(ModelFormatException.class, () -> SafetensorsReader.open(cut));
        assertEquals(cut + ": file has 5 bytes, too short for the 8-byte header length", e.getMessage());

        Files.write(cut, Fixtures.floatsLE(1, 2, 3, 4));
        e = assertThrows(ModelFormatException.class, () -> SafetensorsReader.open(cut));
        assertEquals(cut + ": header length 4611686019492741120 exceeds the limit of 100000000 bytes "
                + "(not a safetensors file?)", e.getMessage());
    }

    @Test
    void refusesNonFloatReadsAndUnwrittenTensors() throws IOException {
        Path file = Fixtures.rawFile(tmp.resolve("i.safetensors"),
                "{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> reader.readFloats("ids"));
            assertEquals(file + ": tensor ids has dtype I64, which cannot be read as floats", e.getMessage());
        }
        Path out = tmp.resolve("partial.safetensors");
        try (SafetensorsWriter writer = SafetensorsWriter.create(out,
                List.of(new TensorSpec("a", new long[] {2}), new TensorSpec("b", new long[] {1})), Map.of())) {
            writer.write(new float[] {1, 2});
            IllegalStateException e = assertThrows(IllegalStateException.class, writer::finish);
            assertEquals(out + ": tensor b and 0 after it not written", e.getMessage());
            assertThrows(IllegalStateException.class, () -> writer.write(new float[] {1, 2}));
        }
    }
}
