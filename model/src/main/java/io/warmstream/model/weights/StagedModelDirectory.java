package io.warmstream.model.weights;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A model directory being written: files go into a hidden staging directory beside the target, and
 * {@link #commit} fsyncs everything and renames the staging directory onto the target in one atomic step, so
 * readers see either no model or a complete one. Closing without commit deletes the staging directory.
 *
 * <p>Model directories are written once: committing onto an existing non-empty directory is refused.
 * A crash leaves a ".name.staging-*" directory behind, which is garbage and safe to delete when no writer runs.
 */
public final class StagedModelDirectory implements AutoCloseable {

    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedModelDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    static StagedModelDirectory begin(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        requireAbsentOrEmpty(absolute);
        Path parent = absolute.getParent();
        Path staging = parent.resolve("." + absolute.getFileName() + ".staging-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create staging directory " + staging, e);
        }
        return new StagedModelDirectory(absolute, staging);
    }

    public Path target() {
        return target;
    }

    /** Where model.safetensors is being written. */
    public Path weightsFile() {
        return staging.resolve(ModelDirectory.WEIGHTS_FILE);
    }

    /** A writer for model.safetensors with the metadata Hugging Face expects. */
    public SafetensorsWriter createWeights(List<TensorSpec> specs) {
        return SafetensorsWriter.create(weightsFile(), specs, SafetensorsWriter.PYTORCH_METADATA);
    }

    /**
     * Writes config.json, tokenizer.json and warmstream.json next to the finished weights, fsyncs, and renames the
     * directory into place.
     *
     * @param weightsSha256 what {@link SafetensorsWriter#finish()} returned
     * @param merge         null for a trained model
     * @return the manifest written
     */
    public ModelManifest commit(Map<String, Object> hfConfig, Path tokenizerFile, Lineage lineage,
                                Map<String, Object> facts, MergeRecord merge, String weightsSha256) {
        if (committed) {
            throw new IllegalStateException(target + " already committed");
        }
        try {
            if (!Files.isRegularFile(weightsFile())) {
                throw new IllegalStateException("write " + ModelDirectory.WEIGHTS_FILE + " before commit");
            }
            if (tokenizerFile == null || !Files.isRegularFile(tokenizerFile)) {
                throw new IllegalArgumentException("tokenizer file " + tokenizerFile + " does not exist");
            }
            byte[] config = ModelManifest.JSON.writeValueAsBytes(hfConfig);
            byte[] tokenizer = Files.readAllBytes(tokenizerFile);
            writeSynced(staging.resolve(ModelDirectory.CONFIG_FILE), config);
            writeSynced(staging.resolve(ModelDirectory.TOKENIZER_FILE), tokenizer);
            Map<String, String> files = new LinkedHashMap<>();
            files.put(ModelDirectory.CONFIG_FILE, Sha256.hex(Sha256.newDigest().digest(config)));
            files.put(ModelDirectory.TOKENIZER_FILE, Sha256.hex(Sha256.newDigest().digest(tokenizer)));
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, lineage, weightsSha256,
                    Files.size(weightsFile()), files, facts == null ? Map.of() : facts, merge);
            writeSynced(staging.resolve(ModelDirectory.MANIFEST_FILE), manifest.toJson());
            fsync(staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
                throw new IllegalStateException("model directory " + target
                        + " already exists; model directories are written once", e);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("file system of " + target + " cannot rename atomically", e);
            }
            committed = true;
            fsync(target.getParent());
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit model directory " + target, e);
        }
    }

    /** Deletes the staging directory unless committed. */
    @Override
    public void close() {
        if (committed || !Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete staging directory " + staging, e);
        }
    }

    private static void requireAbsentOrEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalStateException("model directory " + dir
                        + " already exists; model directories are written once");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inspect " + dir, e);
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Directory fsync makes the entries (and the rename) durable, not just the file contents. */
    private static void fsync(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
