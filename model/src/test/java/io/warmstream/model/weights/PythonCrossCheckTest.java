package io.warmstream.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-checks the file format against an independent Python + numpy implementation (test resource), both ways.
 * Skipped where python3 with numpy is missing.
 */
class PythonCrossCheckTest {

    @TempDir
    Path tmp;

    private static boolean pythonAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @BeforeAll
    static void requirePython() {
        assumeTrue(pythonAvailable(), "python3 with numpy not available");
    }

    private String python(String mode, Path file) throws IOException, InterruptedException {
        Path script = tmp.resolve("safetensors_crosscheck.py");
        if (!Files.exists(script)) {
            try (InputStream in = getClass().getResourceAsStream("safetensors_crosscheck.py")) {
                Files.copy(in, script);
            }
        }
        Process p = new ProcessBuilder("python3", script.toString(), mode, file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void pythonReadsWhatJavaWrites() throws Exception {
        Path dir = tmp.resolve("model");
        List<NamedTensor> tensors = Fixtures.awkwardTensors();
        ModelDirectory.write(dir, tensors, Fixtures.HF_CONFIG, Fixtures.tokenizer(tmp), Fixtures.LINEAGE, Map.of());
        JsonNode summary = new ObjectMapper().readTree(python("read", dir.resolve("model.safetensors")));
        assertEquals("pt", summary.get("metadata").get("format").asText());
        for (NamedTensor t : tensors) {
            JsonNode entry = summary.get("tensors").get(t.name());
            assertEquals("F32", entry.get("dtype").asText(), t.name());
            assertEquals(TensorInfo.formatShape(t.shape()), entry.get("shape").toString(), t.name());
            ByteBuffer bytes = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : t.data()) {
                bytes.putFloat(v);
            }
            assertEquals(Sha256.hex(Sha256.newDigest().digest(bytes.array())), entry.get("sha256").asText(),
                    "bits of " + t.name());
        }
    }

    @Test
    void javaReadsWhatPythonWrites() throws Exception {
        Path file = tmp.resolve("py.safetensors");
        python("write", file);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt"), reader.metadata());
            assertEquals(List.of("a.weight", "b.half.as_f32", "c.bfloat.as_f32", "b.half", "c.bfloat"),
                    reader.tensors().stream().map(TensorInfo::name).toList(), "file order: by dtype size, then name");
            float[] a = reader.readFloats("a.weight");
            for (int i = 0; i < a.length; i++) {
                assertEquals((float) ((i - 11.5) / 7.0), a[i]);
            }
            assertArrayEquals(reader.readFloats("b.half.as_f32"), reader.readFloats("b.half"), "F16 widened like numpy");
            assertArrayEquals(reader.readFloats("c.bfloat.as_f32"), reader.readFloats("c.bfloat"), "BF16 widened");
            assertArrayEquals(new long[] {3, 8}, reader.tensor("c.bfloat").shape());
        }
    }
}
