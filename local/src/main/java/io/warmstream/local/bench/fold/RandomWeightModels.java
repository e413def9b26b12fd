package io.warmstream.local.bench.fold;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.SafetensorsWriter;
import io.warmstream.model.weights.StagedModelDirectory;
import io.warmstream.model.weights.TensorSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Model directories of uniform random weights in [-0.05, 0.05) for the folding benchmarks, generated and written one
 * 1 MiB chunk at a time, so that writing a model needs no more heap than the fold it is measured beside.
 */
public final class RandomWeightModels {

    private RandomWeightModels() {
    }

    /** Writes the model of {@code seed} with tensors {@code specs} into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir, List<TensorSpec> specs, Map<String, Object> hfConfig, Path tokenizer,
                             Lineage lineage, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] chunk = new float[1 << 18];
        try (StagedModelDirectory staged = ModelDirectory.stage(dir)) {
            String sha;
            try (SafetensorsWriter writer = staged.createWeights(specs)) {
                for (TensorSpec spec : specs) {
                    for (long left = spec.elementCount(); left > 0; ) {
                        int n = (int) Math.min(chunk.length, left);
                        for (int i = 0; i < n; i++) {
                            chunk[i] = (float) ((random.nextDouble() - 0.5) * 0.1);
                        }
                        writer.write(chunk, 0, n);
                        left -= n;
                    }
                }
                sha = writer.finish();
            }
            staged.commit(hfConfig, tokenizer, lineage, Map.of("seed", seed), null, sha);
        }
        return dir;
    }
}
