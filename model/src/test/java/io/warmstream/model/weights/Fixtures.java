package io.warmstream.model.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small models and hand-made safetensors files for the tests. */
final class Fixtures {

    static final Lineage LINEAGE = new Lineage("sha256:base-weights-0001", "BertForSequenceClassification/test");
    static final Map<String, Object> HF_CONFIG = Map.of("model_type", "bert", "num_labels", 1,
            "architectures", List.of("BertForSequenceClassification"), "layer_norm_eps", 1e-12);

    private Fixtures() {
    }

    static Path tokenizer(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("tok.json");
        Files.writeString(file, "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}");
        return file;
    }

    /** Tensors with awkward values: NaN payloads, signed zero, subnormals, infinities, a scalar, an empty one. */
    static List<NamedTensor> awkwardTensors() {
        float[] special = {
                Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffa00000), -0.0f, 0.0f, Float.MIN_VALUE,
                -Float.MIN_NORMAL, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, 1.0f / 3
        };
        float[] big = new float[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.sin(i * 0.001) * 0.02f;
        }
        return List.of(
                new NamedTensor("bert.embeddings.word_embeddings.weight", new long[] {600, 500}, big),
                new NamedTensor("special", new long[] {2, 5}, special),
                new NamedTensor("scalar", new long[] {}, new float[] {42.5f}),
                new NamedTensor("empty", new long[] {0, 3}, new float[0]),
                new NamedTensor("classifier.bias", new long[] {1}, new float[] {-0.125f}));
    }

    /** A raw safetensors file from a header string and data bytes, no validation: for corrupted inputs. */
    static Path rawFile(Path file, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json).put(data);
        Files.createDirectories(file.getParent());
        Files.write(file, buf.array());
        return file;
    }

    static byte[] floatsLE(float... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return buf.array();
    }

    static byte[] shortsLE(int... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buf.putShort((short) v);
        }
        return buf.array();
    }
}
