package io.warmstream.model.store;

import io.warmstream.model.weights.Lineage;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelFormatException;
import io.warmstream.model.weights.NamedTensor;
import io.warmstream.model.weights.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forgeries of issue 15 and their refusals: each error names the file at fault. */
class ModelSignerTest {

    static final byte[] KEY = bytes(1);
    static final byte[] OTHER_KEY = bytes(2);

    @TempDir
    Path tmp;

    @Test
    void signedDirectoryVerifies() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(KEY));
        assertTrue(Files.isRegularFile(dir.resolve(ManifestSignature.FILE)));
        String sig = Files.readString(dir.resolve(ManifestSignature.FILE));
        assertTrue(sig.contains("\"keyId\" : \"" + ModelSigningKeys.of(KEY).signing().id() + "\""), sig);
        assertTrue(sig.contains(Sha256.ofFile(dir.resolve(ModelDirectory.MANIFEST_FILE))), "signs the manifest's hash");
        assertEquals(Sha256.ofFile(dir.resolve(ModelDirectory.WEIGHTS_FILE)),
                new ModelSigner(ModelSigningKeys.of(KEY)).verify(dir).weightsSha256());
    }

    /** The forgery: swap tokenizer.json and rewrite its hash in warmstream.json. Every hash then matches. */
    @Test
    void forgedManifestIsRefusedNamingTheManifest() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(KEY));
        Path tokenizer = dir.resolve(ModelDirectory.TOKENIZER_FILE);
        String oldSha = Sha256.ofFile(tokenizer);
        Files.writeString(tokenizer, "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\",\"vocab\":{\"evil\":0}}}");
        Path manifest = dir.resolve(ModelDirectory.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace(oldSha, Sha256.ofFile(tokenizer)));
        ModelDirectory.verify(dir); // the forgery passes the hash checks, as the issue says

        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> new ModelSigner(ModelSigningKeys.of(KEY)).verify(dir));
        assertEquals(manifest, e.file());
        assertTrue(e.getMessage().startsWith(manifest + ": signature check failed: altered after signing"),
                e.getMessage());
    }

    @Test
    void forgedSignatureFileIsRefused() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(KEY));
        Path manifest = dir.resolve(ModelDirectory.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("\"steps\" : 40", "\"steps\" : 41"));
        Path sig = dir.resolve(ManifestSignature.FILE); // the forger rewrites the manifest's hash in the signature too
        Files.writeString(sig, Files.readString(sig).replaceAll("\"warmstream.json\" : \\{\\s*\"sha256\" : \"[0-9a-f]+\"",
                "\"warmstream.json\" : { \"sha256\" : \"" + Sha256.ofFile(manifest) + "\""));
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> new ModelSigner(ModelSigningKeys.of(KEY)).requireAuthentic(dir));
        assertEquals(manifest, e.file());
        assertTrue(e.getMessage().contains("warmstream.sig does not match its content"), e.getMessage());
    }

    @Test
    void tamperedWeightsWithTheManifestUntouchedAreRefusedNamingTheWeights() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(KEY));
        Path weights = dir.resolve(ModelDirectory.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(weights, bytes);
        ModelSigner signer = new ModelSigner(ModelSigningKeys.of(KEY));
        signer.requireAuthentic(dir); // the signed manifest is intact...
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> signer.verify(dir));
        assertTrue(e.getMessage().startsWith(weights + ": sha256 mismatch"), e.getMessage()); // ...its hash is not
    }

    @Test
    void directorySignedWithAnotherKeyIsRefused() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(OTHER_KEY));
        ModelSigningKeys mine = ModelSigningKeys.of(KEY);
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> new ModelSigner(mine).verify(dir));
        assertEquals(dir.resolve(ModelDirectory.MANIFEST_FILE), e.file());
        assertTrue(e.getMessage().contains("signed with key " + ModelSigningKeys.of(OTHER_KEY).signing().id()
                + ", which is not one of the keys accepted here [" + mine.signing().id() + "]"), e.getMessage());
    }

    @Test
    void forgedKeyIdIsRefused() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.of(OTHER_KEY));
        Path sig = dir.resolve(ManifestSignature.FILE);
        Files.writeString(sig, Files.readString(sig).replace(ModelSigningKeys.of(OTHER_KEY).signing().id(),
                ModelSigningKeys.of(KEY).signing().id()));
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> new ModelSigner(ModelSigningKeys.of(KEY)).requireAuthentic(dir));
        assertTrue(e.getMessage().contains("does not match its content"), e.getMessage());
    }

    @Test
    void rotationAcceptsTheOldKeyAndSignsWithTheNewOne() throws IOException {
        Path old = signedModel("old", ModelSigningKeys.of(OTHER_KEY));
        ModelSigningKeys rotated = ModelSigningKeys.of(KEY, OTHER_KEY);
        ModelSigner signer = new ModelSigner(rotated);
        assertEquals(Sha256.ofFile(old.resolve(ModelDirectory.WEIGHTS_FILE)), signer.verify(old).weightsSha256());
        Path fresh = signedModel("new", rotated);
        assertTrue(Files.readString(fresh.resolve(ManifestSignature.FILE)).contains(ModelSigningKeys.of(KEY).signing().id()));
        new ModelSigner(ModelSigningKeys.of(KEY)).verify(fresh); // the old key can be dropped for new directories
    }

    @Test
    void unsignedDirectoryIsRefusedWithKeysAndAcceptedWithout() throws IOException {
        Path dir = signedModel("m", ModelSigningKeys.none());
        assertFalse(Files.exists(dir.resolve(ManifestSignature.FILE)), "nothing signed without keys");
        new ModelSigner(ModelSigningKeys.none()).verify(dir);
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> new ModelSigner(ModelSigningKeys.of(KEY)).verify(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(ModelDirectory.MANIFEST_FILE) + ": not signed"), e.getMessage());
    }

    @Test
    void sidecarsAreSignedAndFilesAddedLaterRefused() throws IOException {
        Path dir = model("m");
        Path sidecar = dir.resolve("warm-average.json");
        Files.writeString(sidecar, "{\"members\":[]}");
        ModelSigner signer = new ModelSigner(ModelSigningKeys.of(KEY));
        signer.sign(dir);
        signer.requireAuthentic(dir);

        Files.writeString(dir.resolve(".store-marker"), "hidden files are the store's, not the model's");
        signer.requireAuthentic(dir);

        Files.writeString(sidecar, "{\"members\":[{\"uri\":\"file:/evil\"}]}");
        ModelSignatureException altered = assertThrows(ModelSignatureException.class, () -> signer.requireAuthentic(dir));
        assertEquals(sidecar, altered.file());

        signer.sign(dir);
        Path added = dir.resolve("reward-scale.json");
        Files.writeString(added, "{}");
        ModelSignatureException extra = assertThrows(ModelSignatureException.class, () -> signer.requireAuthentic(dir));
        assertEquals(added, extra.file());
        assertTrue(extra.getMessage().contains("not covered by the signature"), extra.getMessage());
    }

    @Test
    void storeSignsOnPutAndRefusesAForgedFetch() throws IOException {
        CheckpointStore store = SignedCheckpointStore.of(new FileSystemCheckpointStore(tmp.resolve("store")),
                ModelSigningKeys.of(KEY));
        Path stored = store.fetch(store.put("checkpoints/a/j1", model("m")));
        assertTrue(Files.isRegularFile(stored.resolve(ManifestSignature.FILE)));
        Path manifest = stored.resolve(ModelDirectory.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest) + " ");
        ModelSignatureException e = assertThrows(ModelSignatureException.class,
                () -> store.fetch(store.uriOf("checkpoints/a/j1")));
        assertEquals(manifest, e.file());

        Path heads = tmp.resolve("heads"); // not a model directory: all its files are signed
        Files.createDirectories(heads);
        Files.writeString(heads.resolve("head.bin"), "a shared head");
        Path storedHead = store.fetch(store.put("heads/a/g1", heads)).resolve("head.bin");
        assertEquals("a shared head", Files.readString(storedHead));
        Files.writeString(storedHead, "a forged head");
        ModelSignatureException head = assertThrows(ModelSignatureException.class,
                () -> store.fetch(store.uriOf("heads/a/g1")));
        assertEquals(storedHead, head.file());
        assertTrue(SignedCheckpointStore.of(store, ModelSigningKeys.none()) == store, "no keys, no wrapper");
    }

    @Test
    void aStoreFromBeforeSigningIsAdoptedOnce() throws IOException {
        FileSystemCheckpointStore plain = new FileSystemCheckpointStore(tmp.resolve("store"));
        plain.put("averages/a/v1", model("v1"));
        plain.put("checkpoints/a/j1", model("j1"));
        Files.createDirectories(tmp.resolve("store/.tmp-v2-x"));
        Files.writeString(tmp.resolve("store/.tmp-v2-x/junk"), "a crashed put");
        ModelSigner signer = new ModelSigner(ModelSigningKeys.of(KEY));
        assertEquals(2, signer.signUnsigned(tmp.resolve("store")));
        signer.verify(tmp.resolve("store/averages/a/v1"));
        signer.verify(tmp.resolve("store/checkpoints/a/j1"));
        assertFalse(Files.exists(tmp.resolve("store/.tmp-v2-x/" + ManifestSignature.FILE)), "hidden left alone");
        assertEquals(0, signer.signUnsigned(tmp.resolve("store")), "signed directories are not signed again");
    }

    private Path signedModel(String name, ModelSigningKeys keys) throws IOException {
        Path dir = model(name);
        new ModelSigner(keys).sign(dir);
        return dir;
    }

    private Path model(String name) throws IOException {
        Path src = tmp.resolve("src-" + name);
        Files.createDirectories(src);
        Path tokenizer = Files.writeString(src.resolve("tok.json"), "{\"version\":\"1.0\",\"model\":{\"type\":\"WordPiece\"}}",
                StandardCharsets.UTF_8);
        Path dir = tmp.resolve(name);
        ModelDirectory.write(dir, List.of(new NamedTensor("w", new long[] {2, 2}, new float[] {1, 2, 3, 4})),
                Map.of("model_type", "bert", "num_labels", 1), tokenizer,
                new Lineage("sha256:base-weights-0001", "BertForSequenceClassification/test"), Map.of("steps", 40));
        return dir;
    }

    static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) seed);
        b[0] = (byte) (seed * 37);
        return b;
    }
}
