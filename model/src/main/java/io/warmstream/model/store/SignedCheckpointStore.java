package io.warmstream.model.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A checkpoint store that signs every model directory it stores and checks the signature of every one it fetches
 * ({@link ModelSigner}), so every service reading through it refuses a forged directory whatever path it loads by.
 * Directories without a {@code warmstream.json} (the trainers' shared heads) have all their files signed. Model files'
 * hashes are checked against the signed manifest by the loaders ({@code ModelDirectory.read}
 * or {@code verify}), not here, so the weights are hashed once per load.
 */
public final class SignedCheckpointStore implements CheckpointStore {

    private final CheckpointStore store;
    private final ModelSigner signer;

    public SignedCheckpointStore(CheckpointStore store, ModelSigner signer) {
        this.store = store;
        this.signer = signer;
    }

    /** {@code store} as it is when there are no keys, signing and checking otherwise. */
    public static CheckpointStore of(CheckpointStore store, ModelSigningKeys keys) {
        return keys.enabled() ? new SignedCheckpointStore(store, new ModelSigner(keys)) : store;
    }

    /** Signs {@code localModelDirectory} in place (writing warmstream.sig into it), then stores it. */
    @Override
    public URI put(String key, Path localModelDirectory) {
        if (Files.isDirectory(localModelDirectory)) { // else the store's own "not a directory" error
            signer.sign(localModelDirectory);
        }
        return store.put(key, localModelDirectory);
    }

    /** @throws ModelSignatureException if a model directory's signature does not verify */
    @Override
    public Path fetch(URI uri) {
        Path dir = store.fetch(uri);
        signer.requireAuthentic(dir);
        return dir;
    }

    @Override
    public void requireReachable(URI uri) {
        store.requireReachable(uri);
    }

    @Override
    public boolean exists(URI uri) {
        return store.exists(uri);
    }

    @Override
    public void delete(URI uri) {
        store.delete(uri);
    }

    @Override
    public URI uriOf(String key) {
        return store.uriOf(key);
    }

    public ModelSigner signer() {
        return signer;
    }
}
