package io.warmstream.merger;

import io.warmstream.model.BaseModel;
import io.warmstream.model.BaseModels;
import io.warmstream.model.store.CheckpointStore;
import io.warmstream.model.store.DirectoryTree;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared initialisation WARP's SLERP needs for task vectors ({@code warm.merger.init-model}): a model
 * directory, a URI in the checkpoint store, or a base model name, written out once as a model directory. Give the
 * exact initialisation the members started from: with LP-FT that is the base with the shared head.
 */
final class InitModels {

    private static final Logger LOG = LoggerFactory.getLogger(InitModels.class);

    private InitModels() {
    }

    /**
     * @param signer signs the directory written from a base model name and checks it when a later start reuses it
     *               (a directory that fails is written again: it is derived, never an input). A store URI is checked
     *               by the store; a directory given by path is configuration and trusted as the setting is.
     */
    static Path resolve(String spec, CheckpointStore store, Path scratch, ModelSigner signer) {
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
        if (Files.exists(dir.resolve(ModelDirectory.MANIFEST_FILE))) {
            try {
                signer.verify(dir);
                return dir;
            } catch (ModelFormatException e) {
                LOG.warn("init model {} is damaged or not signed by this deployment ({}); writing it again", dir,
                        e.getMessage());
                DirectoryTree.delete(dir);
            }
        }
        ModelDirectory.write(dir, base.tensors(), base.config().toHuggingFaceConfig(), base.tokenizerFile(),
                base.lineage(), base.facts());
        signer.sign(dir);
        return dir;
    }
}
