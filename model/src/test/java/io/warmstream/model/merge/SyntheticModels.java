package io.warmstream.model.merge;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.NamedTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small BERT-shaped models with random weights, written as real model directories. */
final class SyntheticModels {

    static final Lineage LINEAGE = new Lineage("sha256:pretrained-minilm", "BertForSequenceClassification/L6-H384");
    static final Map<String, Object> CONFIG = Map.of("model_type", "bert", "num_labels", 1);

    /** Names and shapes; the embedding spans two merge chunks so chunk boundaries are exercised. */
    static final List<String> NAMES = List.of("bert.embeddings.word_embeddings.weight",
            "bert.encoder.layer.3.output.dense.weight", "bert.encoder.layer.3.output.dense.bias",
            "classifier.weight", "classifier.bias");
    static final List<long[]> SHAPES = List.of(new long[] {700, 400}, new long[] {16, 64}, new long[] {16},
            new long[] {1, 16}, new long[] {1});

    private SyntheticModels() {
    }

    /** Values mean + std * N(0,1), per tensor, from a seed. */
    static List<NamedTensor> tensors(long seed, double mean, double std) {
        SplittableRandom random = new SplittableRandom(seed);
        List<NamedTensor> out = new ArrayList<>();
        for (int t = 0; t < NAMES.size(); t++) {
            long[] shape = SHAPES.get(t);
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] data = new float[(int) n];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (mean + std * gaussian(random));
            }
            out.add(new NamedTensor(NAMES.get(t), shape, data));
        }
        return out;
    }

    static Path write(Path dir, List<NamedTensor> tensors) throws IOException {
        return write(dir, tensors, LINEAGE);
    }

    static Path write(Path dir, List<NamedTensor> tensors, Lineage lineage) throws IOException {
        Path tokenizer = dir.resolveSibling("tokenizer-source.json");
        if (!Files.exists(tokenizer)) {
            Files.createDirectories(dir.getParent());
            Files.writeString(tokenizer, "{\"model\":{\"type\":\"WordPiece\"}}");
        }
        ModelDirectory.write(dir, tensors, CONFIG, tokenizer, lineage, Map.of("seed", 1));
        return dir;
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
