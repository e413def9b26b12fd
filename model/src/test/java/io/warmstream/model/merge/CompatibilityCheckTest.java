package io.warmstream.model.merge;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.model.weights.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompatibilityCheckTest {

    @TempDir
    Path tmp;

    private final AverageFolder folder = new AverageFolder(MergeSettings.of(MergeStrategy.UNIFORM));

    private Path average() throws IOException {
        Path member = SyntheticModels.write(tmp.resolve("m0"), SyntheticModels.tensors(1, 0, 0.05));
        return folder.fold(null, member, "job-0", tmp.resolve("avg")).directory();
    }

    /** Folds a bad model into a good average; the refusal must leave no output behind. */
    private String refusal(List<NamedTensor> tensors, Lineage lineage) throws IOException {
        Path avg = average();
        Path bad = SyntheticModels.write(tmp.resolve("bad"), tensors, lineage);
        Path out = tmp.resolve("out");
        IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
                () -> folder.fold(avg, bad, "job-bad", out));
        assertFalse(Files.exists(out));
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("staging")), "staging removed");
        }
        return e.getMessage();
    }

    private static List<NamedTensor> replace(List<NamedTensor> tensors, int index, NamedTensor with) {
        List<NamedTensor> out = new ArrayList<>(tensors);
        if (with == null) {
            out.remove(index);
        } else {
            out.set(index, with);
        }
        return out;
    }

    @Test
    void refusesAnotherLineage() throws IOException {
        Lineage other = new Lineage("sha256:pretrained-bge-small", "BertForSequenceClassification/L6-H384");
        String message = refusal(SyntheticModels.tensors(2, 0, 0.05), other);
        assertTrue(message.startsWith("lineage " + other.id() + " of " + tmp.resolve("bad") + " != "
                + SyntheticModels.LINEAGE.id() + " of " + tmp.resolve("avg")), message);
    }

    @Test
    void refusesMissingAndExtraTensors() throws IOException {
        List<NamedTensor> good = SyntheticModels.tensors(2, 0, 0.05);
        String message = refusal(replace(good, 3, null), SyntheticModels.LINEAGE);
        assertEquals("tensor classifier.weight: missing in " + tmp.resolve("bad/model.safetensors")
                + " (present in " + tmp.resolve("avg/model.safetensors") + ")", message);
    }

    @Test
    void refusesExtraTensor() throws IOException {
        List<NamedTensor> tensors = new ArrayList<>(SyntheticModels.tensors(2, 0, 0.05));
        tensors.add(new NamedTensor("bert.pooler.dense.bias", new long[] {16}, new float[16]));
        assertEquals("tensor bert.pooler.dense.bias: present in " + tmp.resolve("bad/model.safetensors")
                        + " but not in " + tmp.resolve("avg/model.safetensors"),
                refusal(tensors, SyntheticModels.LINEAGE));
    }

    @Test
    void acceptsAnotherTensorOrder() throws IOException {
        Path avg = average();
        List<NamedTensor> reversed = new ArrayList<>(SyntheticModels.tensors(2, 0, 0.05));
        java.util.Collections.reverse(reversed);
        Path other = SyntheticModels.write(tmp.resolve("reversed"), reversed);
        Path out = folder.fold(avg, other, "job-1", tmp.resolve("out")).directory();
        assertEquals(SyntheticModels.NAMES, ModelDirectory.read(out).tensors().stream().map(NamedTensor::name).toList(),
                "output keeps the average's order");
    }

    @Test
    void refusesAnotherShape() throws IOException {
        List<NamedTensor> good = SyntheticModels.tensors(2, 0, 0.05);
        String message = refusal(replace(good, 1, new NamedTensor("bert.encoder.layer.3.output.dense.weight",
                new long[] {16, 32}, new float[512])), SyntheticModels.LINEAGE);
        assertEquals("tensor bert.encoder.layer.3.output.dense.weight: shape [16,32] != [16,64] ("
                + tmp.resolve("bad/model.safetensors") + " vs " + tmp.resolve("avg/model.safetensors") + ")", message);
    }

    @Test
    void refusesNaNAndInfinityNamingTensorAndIndex() throws IOException {
        List<NamedTensor> good = SyntheticModels.tensors(2, 0, 0.05);
        float[] weight = good.get(3).data().clone();
        weight[13] = Float.NaN;
        String message = refusal(replace(good, 3, new NamedTensor("classifier.weight", new long[] {1, 16}, weight)),
                SyntheticModels.LINEAGE);
        assertEquals("tensor classifier.weight contains NaN at index 13 (" + tmp.resolve("bad/model.safetensors") + ")",
                message);
    }

    @Test
    void refusesInfinityInALaterChunk() throws IOException {
        List<NamedTensor> good = SyntheticModels.tensors(2, 0, 0.05);
        float[] emb = good.get(0).data().clone();
        emb[270_001] = Float.NEGATIVE_INFINITY; // second chunk of the merge
        String message = refusal(replace(good, 0, new NamedTensor(good.get(0).name(), good.get(0).shape(), emb)),
                SyntheticModels.LINEAGE);
        assertEquals("tensor bert.embeddings.word_embeddings.weight contains -Infinity at index 270001 ("
                + tmp.resolve("bad/model.safetensors") + ")", message);
    }

    @Test
    void refusesAnotherDtype() throws IOException {
        Path avg = average();
        // The same model with one tensor stored as F16 (written by hand: our writer only writes F32).
        Path f16 = tmp.resolve("f16.safetensors");
        String header = "{\"t\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Files.write(f16, ByteBuffer.allocate(12 + json.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).putShort((short) 0x3C00).putShort((short) 0x3C00).array());
        Path f32 = tmp.resolve("f32.safetensors");
        String header32 = "{\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] json32 = header32.getBytes(StandardCharsets.UTF_8);
        Files.write(f32, ByteBuffer.allocate(16 + json32.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json32.length).put(json32).putFloat(1).putFloat(1).array());
        try (SafetensorsReader a = SafetensorsReader.open(f32); SafetensorsReader b = SafetensorsReader.open(f16)) {
            IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
                    () -> CompatibilityCheck.requireSameTensors(a, b));
            assertEquals("tensor t: dtype F16 != F32 (" + f16 + " vs " + f32 + ")", e.getMessage());
        }
        assertTrue(Files.exists(avg));
    }

    @Test
    void standaloneCheckScansValues() throws IOException {
        Path a = SyntheticModels.write(tmp.resolve("a"), SyntheticModels.tensors(1, 0, 0.05));
        List<NamedTensor> bad = SyntheticModels.tensors(2, 0, 0.05);
        bad.get(2).data()[5] = Float.POSITIVE_INFINITY;
        Path b = SyntheticModels.write(tmp.resolve("b"), bad);
        CompatibilityCheck.requireCompatible(a, a);
        IncompatibleModelException e = assertThrows(IncompatibleModelException.class,
                () -> CompatibilityCheck.requireCompatible(a, b));
        assertEquals("tensor bert.encoder.layer.3.output.dense.bias contains Infinity at index 5 ("
                + b.resolve("model.safetensors") + ")", e.getMessage());
    }
}
