package io.warmstream.scorer.export;

import io.warmstream.platform.AtomicFiles;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.scorer.serving.ModelVersion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Export archives of stored versions, built once per (version, format) into a cache directory and served from
 * there. A version is exported only while the store still has it, and only after every file has been checked against
 * its recorded SHA-256 and the weights against the SHA-256 its event announced.
 */
public final class ModelExports {

    /** Why an export cannot be served: {@code gone} (no longer in the store) or {@code invalid} (fails verification). */
    public static final class ExportException extends Exception {
        private final String reason;

        public ExportException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private final CheckpointStore store;
    private final Path cacheDir;
    private final int keep;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    /** @param keep archives kept in the cache (oldest deleted first) */
    public ModelExports(CheckpointStore store, Path cacheDir, int keep) {
        this.store = store;
        this.cacheDir = cacheDir;
        this.keep = Math.max(1, keep);
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create export cache " + cacheDir, e);
        }
    }

    /** The archive file for {@code v}, building it if needed. */
    public Path archive(ModelVersion v, ArchiveFormat format) throws ExportException {
        String name = safe(v.average()) + "-v" + v.version() + "-" + v.sha256().substring(0, Math.min(12, v.sha256().length()))
                + "." + format.extension();
        Path target = cacheDir.resolve(name);
        if (!store.exists(v.uri())) {
            deleteQuietly(target);
            throw new ExportException("gone", "version " + v.version() + " is no longer in the checkpoint store (" + v.uri() + ")");
        }
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            if (Files.isRegularFile(target)) {
                return target;
            }
            Path dir;
            try {
                dir = store.fetch(v.uri()); // with model signing on, the store checks the signature here
                ModelManifest manifest = ModelDirectory.verify(dir);
                if (!manifest.weightsSha256().equals(v.sha256())) {
                    throw new ExportException("invalid", "version " + v.version() + ": stored weights have sha256 "
                            + manifest.weightsSha256() + ", its event announced " + v.sha256());
                }
            } catch (ModelFormatException e) {
                throw new ExportException("invalid", "version " + v.version() + " fails verification: " + e.getMessage());
            }
            try {
                AtomicFiles.write(target, out -> ModelArchive.write(dir, format, out, rewardScaleFile(v)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write export archive " + target, e);
            }
            prune(target);
            return target;
        }
    }

    /** File name offered to the client. */
    public static String downloadName(ModelVersion v, ArchiveFormat format) {
        return safe(v.average()) + "-v" + v.version() + "." + format.extension();
    }

    private void prune(Path justWritten) {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> archives = files.filter(p -> !p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
                    .filter(p -> !p.equals(justWritten))
                    .sorted(Comparator.comparingLong(ModelExports::mtime).reversed())
                    .toList();
            for (int i = keep - 1; i < archives.size(); i++) {
                deleteQuietly(archives.get(i));
            }
        } catch (IOException e) {
            // The cache only saves work; failing to prune it must not fail an export.
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    /**
     * {@code reward_scale.json} for a version that carries a reward scale (as {@code warm export} writes it), so a
     * Python user normalises with the figures the scorer's {@code "normalize": true} uses; nothing otherwise.
     */
    static java.util.Map<String, byte[]> rewardScaleFile(ModelVersion v) {
        io.warmstream.scorer.serving.RewardScale s = v.scale();
        if (s == null) {
            return java.util.Map.of();
        }
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode n = json.createObjectNode();
        n.put("mean", s.mean());
        n.put("std", s.std());
        n.put("items", s.items());
        n.put("reference", s.reference());
        n.put("normalized_reward", "(reward - mean) / std, reward = logits[:, 0]");
        byte[] bytes;
        try {
            bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return java.util.Map.of("reward_scale.json", bytes);
    }
}
