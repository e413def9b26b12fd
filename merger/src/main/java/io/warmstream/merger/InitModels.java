package io.warmstream.merger;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.weights.ModelDirectory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared initialisation WARP's SLERP needs for task vectors ({@code warm.merger.init-model}): a model
 * directory, a URI in the checkpoint store, or a base model name, written out once as a model directory. Give the
 * exact initialisation the members started from: with LP-FT that is the base with the shared head.
 */
final class InitModels {

    private InitModels() {
    }

    static Path resolve(String spec, CheckpointStore store, Path scratch) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalStateException("strategy slerp-liti needs warm.merger.init-model (the members' shared initialisation)");
        }
        String s = spec.trim();
        if (s.contains(":/")) {
            URI uri = URI.create(s);
            if (store.exists(uri)) {
                return store.fetch(uri);
            }
            if ("file".equals(uri.getScheme()) && Files.isDirectory(Path.of(uri))) {
                return Path.of(uri);
            }
            throw new IllegalStateException("warm.merger.init-model " + s + " is neither in the store nor a directory");
        }
        if (Files.isDirectory(Path.of(s))) {
            return Path.of(s);
        }
        BaseModel base = BaseModels.byName(s);
        Path dir = scratch.resolve("init-" + s.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + base.lineage().id());
        if (!Files.exists(dir.resolve(ModelDirectory.MANIFEST_FILE))) {
            ModelDirectory.write(dir, base.tensors(), base.config().toHuggingFaceConfig(), base.tokenizerFile(),
                    base.lineage(), base.facts());
        }
        return dir;
    }
}
