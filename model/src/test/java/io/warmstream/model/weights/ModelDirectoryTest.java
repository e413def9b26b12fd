package io.warmstream.model.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelDirectoryTest {

    @TempDir
    Path tmp;

    private Path writeModel(String name) throws IOException {
        Path dir = tmp.resolve(name);
        ModelDirectory.write(dir, Fixtures.awkwardTensors(), Fixtures.HF_CONFIG, Fixtures.tokenizer(tmp.resolve("src")),
                Fixtures.LINEAGE, Map.of("steps", 40, "learningRate", 4e-5, "seed", "7"));
        return dir;
    }

    @Test
    void roundTripsBitExactly() throws IOException {
        Path dir = writeModel("m1");
        assertEquals(List.of(".", "config.json", "model.safetensors", "tokenizer.json", "warmstream.json"),
                listing(dir), "nothing else in the directory");
        LoadedModel loaded = ModelDirectory.read(dir);
        List<NamedTensor> expected = Fixtures.awkwardTensors();
        assertEquals(expected.size(), loaded.tensors().size());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(expected.get(i).sameContent(loaded.tensors().get(i)), expected.get(i).name());
        }
        // NaN payloads survive loading (merging refuses them; storage does not judge)
        assertEquals(0x7fc00001, Float.floatToRawIntBits(loaded.tensor("special").data()[0]));
        assertEquals(Fixtures.LINEAGE, loaded.lineage());
        assertEquals(Map.of("steps", 40, "learningRate", 4e-5, "seed", "7"), loaded.facts());
        assertEquals("bert", loaded.hfConfig().get("model_type"));
        assertEquals(1, loaded.hfConfig().get("num_labels"));
        assertEquals(1e-12, loaded.hfConfig().get("layer_norm_eps"));
        assertEquals(Sha256.ofFile(dir.resolve("model.safetensors")), loaded.sha256());
        ModelManifest manifest = ModelDirectory.readManifest(dir);
        assertNull(manifest.merge());
        assertEquals(Files.size(dir.resolve("model.safetensors")), manifest.weightsBytes());
    }

    @Test
    void writingTwiceWritesTheSameBytes() throws IOException {
        Path a = writeModel("a");
        Path b = writeModel("b");
        for (String f : List.of("model.safetensors", "config.json", "tokenizer.json", "warmstream.json")) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void refusesAFlippedByte() throws IOException {
        Path dir = writeModel("m");
        Path weights = dir.resolve("model.safetensors");
        String before = Sha256.ofFile(weights);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 100] ^= 0x10;
        Files.write(weights, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
        assertEquals(weights + ": sha256 mismatch: warmstream.json records " + before + ", file has "
                + Sha256.ofFile(weights) + " (file altered or corrupted)", e.getMessage());
        assertThrows(ModelFormatException.class, () -> ModelDirectory.verify(dir));
    }

    @Test
    void refusesATruncatedWeightsFile() throws IOException {
        Path dir = writeModel("m");
        Path weights = dir.resolve("model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(bytes, bytes.length - 1000));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir));
        assertEquals(weights + ": " + (bytes.length - 1000) + " bytes but warmstream.json records " + bytes.length
                + " (file truncated or altered)", e.getMessage());
    }

    @Test
    void refusesAlteredTokenizerManifestAndMissingFiles() throws IOException {
        Path dir = writeModel("m");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelDirectory.verify(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("tokenizer.json") + ": sha256 mismatch"), e.getMessage());

        Path dir2 = writeModel("m2");
        Path manifest = dir2.resolve("warmstream.json");
        Files.writeString(manifest, Files.readString(manifest).replace("BertForSequenceClassification/test", "Other"));
        e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir2));
        assertTrue(e.getMessage().startsWith(manifest + ": lineage.id "), e.getMessage());
        assertTrue(e.getMessage().contains("does not match baseHash and architecture"), e.getMessage());

        Path dir3 = writeModel("m3");
        Files.delete(dir3.resolve("model.safetensors"));
        e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(dir3));
        assertEquals(dir3.resolve("model.safetensors") + ": file does not exist", e.getMessage());

        e = assertThrows(ModelFormatException.class, () -> ModelDirectory.read(tmp.resolve("nowhere")));
        assertEquals(tmp.resolve("nowhere").resolve("warmstream.json") + ": file does not exist", e.getMessage());
    }

    @Test
    void writesAtomicallyAndOnlyOnce() throws IOException {
        Path dir = writeModel("m");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> writeModel("m"));
        assertEquals("model directory " + dir + " already exists; model directories are written once", e.getMessage());

        // A failure before commit leaves neither the target nor a staging directory behind.
        Path target = tmp.resolve("failed");
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.write(target, Fixtures.awkwardTensors(),
                Fixtures.HF_CONFIG, tmp.resolve("no-tokenizer.json"), Fixtures.LINEAGE, Map.of()));
        assertFalse(Files.exists(target));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("staging")), "staging removed");
        }
    }

    @Test
    void lineageIdIsShortStableAndSeparatesFields() {
        Lineage a = new Lineage("ab", "c");
        assertEquals(16, a.id().length());
        assertEquals(a.id(), new Lineage("ab", "c").id());
        assertNotEquals(a.id(), new Lineage("a", "bc").id());
        assertEquals(Sha256.ofText("ab\u0000c").substring(0, 16), a.id());
        assertThrows(IllegalArgumentException.class, () -> new Lineage(" ", "x"));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).map(p -> p.isEmpty() ? "." : p).sorted().toList();
        }
    }
}
