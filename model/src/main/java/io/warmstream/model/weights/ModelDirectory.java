package io.warmstream.model.weights;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reward model on disk, loadable by Hugging Face transformers as it is:
 * <ul>
 *   <li>{@code model.safetensors}: the weights (F32, metadata {"format":"pt"});</li>
 *   <li>{@code config.json}: the Hugging Face config (model_type bert, num_labels 1, ...);</li>
 *   <li>{@code tokenizer.json}: the tokenizer;</li>
 *   <li>{@code warmstream.json}: lineage, facts, members of an average, SHA-256 of every other file
 *       ({@link ModelManifest}).</li>
 * </ul>
 * Writes are atomic ({@link StagedModelDirectory}); reads verify every hash. No Java or Python serialisation.
 */
public final class ModelDirectory {

    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String CONFIG_FILE = "config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String MANIFEST_FILE = "warmstream.json";

    private ModelDirectory() {
    }

    /** Writes a trained (not merged) model. Tensors are stored in the given order. */
    public static void write(Path dir, List<NamedTensor> tensors, Map<String, Object> hfConfig, Path tokenizerFile,
                             Lineage lineage, Map<String, Object> facts) {
        write(dir, tensors, hfConfig, tokenizerFile, lineage, facts, null);
    }

    /** As {@link #write(Path, List, Map, Path, Lineage, Map)}, recording how the model was merged. */
    public static ModelManifest write(Path dir, List<NamedTensor> tensors, Map<String, Object> hfConfig,
                                      Path tokenizerFile, Lineage lineage, Map<String, Object> facts, MergeRecord merge) {
        List<TensorSpec> specs = tensors.stream().map(TensorSpec::of).toList();
        try (StagedModelDirectory staged = stage(dir)) {
            String sha;
            try (SafetensorsWriter writer = staged.createWeights(specs)) {
                for (NamedTensor t : tensors) {
                    writer.write(t.data());
                }
                sha = writer.finish();
            }
            return staged.commit(hfConfig, tokenizerFile, lineage, facts, merge, sha);
        }
    }

    /** Starts an atomic write of a model directory whose weights are streamed (merges of large models). */
    public static StagedModelDirectory stage(Path dir) {
        return StagedModelDirectory.begin(dir);
    }

    public static Path weightsFile(Path dir) {
        return dir.resolve(WEIGHTS_FILE);
    }

    /** Reads and verifies everything, then loads all tensors as fp32 (bits preserved, NaN payloads included). */
    public static LoadedModel read(Path dir) {
        ModelManifest manifest = verify(dir);
        List<NamedTensor> tensors = new ArrayList<>();
        try (SafetensorsReader reader = SafetensorsReader.open(weightsFile(dir))) {
            for (TensorInfo info : reader.tensors()) {
                tensors.add(new NamedTensor(info.name(), info.shape(), reader.readFloats(info)));
            }
        }
        return new LoadedModel(dir, readConfig(dir), manifest.lineage(), manifest.facts(), List.copyOf(tensors),
                manifest.weightsSha256());
    }

    /**
     * Checks the directory without loading tensors: the manifest parses, every file exists with the recorded
     * SHA-256 and size, the safetensors header is valid, config.json is a JSON object.
     *
     * @throws ModelFormatException naming the file and what is wrong
     */
    public static ModelManifest verify(Path dir) {
        ModelManifest manifest = readManifest(dir);
        Path weights = weightsFile(dir);
        long size = sizeOf(weights);
        if (size != manifest.weightsBytes()) {
            throw new ModelFormatException(weights + ": " + size + " bytes but " + MANIFEST_FILE + " records "
                    + manifest.weightsBytes() + " (file truncated or altered)");
        }
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            if (!"pt".equals(reader.metadata().get("format"))) {
                throw new ModelFormatException(weights + ": __metadata__.format is not \"pt\"; transformers would refuse it");
            }
        }
        requireSha(weights, manifest.weightsSha256(), Sha256.ofFile(weights));
        for (String name : List.of(CONFIG_FILE, TOKENIZER_FILE)) {
            Path file = dir.resolve(name);
            String expected = manifest.fileSha256().get(name);
            if (expected == null) {
                throw new ModelFormatException(dir.resolve(MANIFEST_FILE) + ": no sha256 recorded for " + name);
            }
            sizeOf(file);
            requireSha(file, expected, Sha256.ofFile(file));
        }
        readConfig(dir);
        return manifest;
    }

    /** Parses warmstream.json only: no hash is checked (use {@link #verify}). */
    public static ModelManifest readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST_FILE);
        return ModelManifest.fromJson(readBytes(file), file.toString());
    }

    /** Parses config.json into a map (insertion order kept). */
    public static Map<String, Object> readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        JsonNode node;
        try {
            node = ModelManifest.JSON.readTree(readBytes(file));
        } catch (IOException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ModelFormatException(file + ": not a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> config = ModelManifest.JSON.convertValue(node, LinkedHashMap.class);
        return config;
    }

    static void requireSha(Path file, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new ModelFormatException(file + ": sha256 mismatch: " + MANIFEST_FILE + " records " + expected
                    + ", file has " + actual + " (file altered or corrupted)");
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
