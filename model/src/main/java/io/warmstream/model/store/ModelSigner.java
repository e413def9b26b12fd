package io.warmstream.model.store;

import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.ModelManifest;
import io.warmstream.model.weights.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Signs model directories and checks their signatures ({@link ManifestSignature}, in {@code warmstream.sig}).
 *
 * <p>With keys: {@link #sign} signs {@code warmstream.json} and every other plain file beside it except the model
 * files the manifest hashes (a directory without a manifest, such as a trainer's shared head, has every file signed); {@link #requireAuthentic} refuses a directory that is unsigned, signed with a key not
 * accepted here, has a signed file altered, or has a plain file that was not there when it was signed. Hidden files
 * (a store's own bookkeeping, such as the S3 store's commit marker) are not part of a model and are ignored.
 * Without keys both do nothing: the deployment is unauthenticated and says so at start-up.
 *
 * <p>The signature covers the manifest; the model files' hashes are checked against the manifest by
 * {@link ModelDirectory#verify} or {@link ModelDirectory#read}, which every loader calls. {@link #verify} does both.
 */
public final class ModelSigner {

    /** Hashed by the manifest itself, so neither hashed again nor listed in the signature. */
    private static final Set<String> MANIFEST_HASHED = Set.of(ModelDirectory.WEIGHTS_FILE, ModelDirectory.CONFIG_FILE,
            ModelDirectory.TOKENIZER_FILE);

    private final ModelSigningKeys keys;

    public ModelSigner(ModelSigningKeys keys) {
        this.keys = keys;
    }

    public ModelSigningKeys keys() {
        return keys;
    }

    public boolean enabled() {
        return keys.enabled();
    }

    /**
     * Writes (or replaces) {@code warmstream.sig} in a finished directory; nothing without keys. A directory without
     * a manifest (the trainers' shared heads) has all its plain files signed.
     */
    public void sign(Path dir) {
        if (!keys.enabled()) {
            return;
        }
        SortedMap<String, String> files = new TreeMap<>();
        for (Path p : signable(dir)) {
            files.put(p.getFileName().toString(), Sha256.ofFile(p));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no file to sign");
        }
        ModelSigningKeys.Key key = keys.signing();
        String mac = HexFormat.of().formatHex(key.mac(ManifestSignature.statement(key.id(), files)));
        write(dir, new ManifestSignature(key.id(), files, mac).toJson());
    }

    /**
     * Checks the signature without reading the weights (cheap: the manifest and any sidecar are small).
     *
     * @throws ModelSignatureException naming the file at fault
     */
    public void requireAuthentic(Path dir) {
        if (!keys.enabled()) {
            return;
        }
        Path manifest = dir.resolve(ModelDirectory.MANIFEST_FILE);
        Path sigFile = dir.resolve(ManifestSignature.FILE);
        boolean model = Files.isRegularFile(manifest);
        Path anchor = model ? manifest : sigFile; // what a failed signature is reported against
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(sigFile);
        } catch (NoSuchFileException e) {
            throw new ModelSignatureException(anchor, "not signed (no " + ManifestSignature.FILE
                    + "), and model signing is on (" + ModelSigningKeys.SETTING + "): unsigned directories are refused");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sigFile, e);
        }
        ManifestSignature sig = ManifestSignature.fromJson(bytes, sigFile);
        ModelSigningKeys.Key key = keys.byId(sig.keyId()).orElseThrow(() -> new ModelSignatureException(anchor,
                "signature check failed: signed with key " + sig.keyId() + ", which is not one of the keys accepted here "
                        + keys.ids() + " (" + ModelSigningKeys.SETTING + ")"));
        if (model && !sig.files().containsKey(ModelDirectory.MANIFEST_FILE)) {
            throw new ModelSignatureException(manifest, "signature check failed: " + ManifestSignature.FILE
                    + " does not sign it");
        }
        byte[] expected = key.mac(sig.statement());
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(sig.signature()))) {
            throw new ModelSignatureException(anchor, "signature check failed: " + ManifestSignature.FILE
                    + " does not match its content under key " + key.id() + " (altered or forged)");
        }
        for (var e : sig.files().entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ModelSignatureException(file, "signature check failed: signed file is missing");
            }
            String actual = Sha256.ofFile(file);
            if (!actual.equals(e.getValue())) {
                throw new ModelSignatureException(file, "signature check failed: altered after signing (sha256 "
                        + actual + ", signed " + e.getValue() + ")");
            }
        }
        for (Path p : signable(dir)) {
            if (!sig.files().containsKey(p.getFileName().toString())) {
                throw new ModelSignatureException(p, "not covered by the signature in " + ManifestSignature.FILE
                        + " (added after signing)");
            }
        }
    }

    /**
     * Signs every directory under {@code root} that holds plain files but no signature, and returns how many: adopting
     * a store written before signing was turned on (the local stack does it once, when it makes the key). Only for a
     * store whose content the operator trusts as it is; hidden directories (a store's temporary ones) are skipped.
     */
    public int signUnsigned(Path root) {
        if (!keys.enabled() || !Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> dirs = walk.filter(Files::isDirectory)
                    .filter(d -> noHiddenPart(root.relativize(d)))
                    .filter(d -> !Files.exists(d.resolve(ManifestSignature.FILE)) && !signable(d).isEmpty())
                    .toList();
            dirs.forEach(this::sign);
            return dirs.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
    }

    private static boolean noHiddenPart(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return false;
            }
        }
        return true;
    }

    /** Signature and every file hash: what a reader of the whole directory (an export) needs. */
    public ModelManifest verify(Path dir) {
        requireAuthentic(dir);
        return ModelDirectory.verify(dir);
    }

    /** Plain (non-hidden) regular files other than the signature and, in a model directory, the files the manifest hashes. */
    private static List<Path> signable(Path dir) {
        boolean model = Files.isRegularFile(dir.resolve(ModelDirectory.MANIFEST_FILE));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return !n.startsWith(".") && !n.equals(ManifestSignature.FILE) && !(model && MANIFEST_HASHED.contains(n));
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static void write(Path dir, byte[] json) {
        Path tmp = dir.resolve("." + ManifestSignature.FILE + ".tmp");
        try {
            Files.write(tmp, json);
            Files.move(tmp, dir.resolve(ManifestSignature.FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ManifestSignature.FILE), e);
        }
    }
}
