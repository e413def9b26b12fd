package io.warmstream.local;

import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.store.ManifestSignature;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelDirectory;
import io.warmstream.model.weights.Sha256;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.warmstream.local.WarmCliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code warm export} checks the signature with the data directory's key and refuses a forged or tampered version. */
class ExportSigningTest {

    @Test
    void exportsASignedVersionAndRefusesForgedOnes() throws Exception {
        Path data = Files.createTempDirectory("warm-data");
        ModelSigner signer = new ModelSigner(ModelSigningKeys.load(
                LocalSecrets.loadOrCreate(data).modelSigningKeyFile())); // what the stack's first start makes
        Path store = data.resolve("store/averages/default");
        signer(store.resolve("v1"), signer);

        Path out1 = data.resolve("out1");
        WarmCliTest.Run ok = run("export", "--data-dir", data.toString(), "--version", "1", "--out", out1.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.out().contains("verified, signature checked"), ok.out());
        signer.verify(out1);

        // Issue 15's forgery: another tokenizer, its hash rewritten in warmstream.json.
        Path v2 = signer(store.resolve("v2"), signer);
        Path tokenizer = v2.resolve(ModelDirectory.TOKENIZER_FILE);
        String old = Sha256.ofFile(tokenizer);
        Files.writeString(tokenizer, Files.readString(tokenizer).replaceFirst("\\{", "{\"warm-forgery\":true,"));
        Path manifest = v2.resolve(ModelDirectory.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace(old, Sha256.ofFile(tokenizer)));
        Path out2 = data.resolve("out2");
        WarmCliTest.Run forged = run("export", "--data-dir", data.toString(), "--version", "2", "--out", out2.toString());
        assertEquals(1, forged.exit(), forged.out());
        assertTrue(forged.err().startsWith("refused to export default v2: " + manifest + ": signature check failed"),
                forged.err());
        assertFalse(Files.exists(out2), "the refused copy is deleted");

        Path v3 = signer(store.resolve("v3"), signer);
        Path weights = v3.resolve(ModelDirectory.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 2] ^= 0x11;
        Files.write(weights, bytes);
        Path out3 = data.resolve("out3");
        Files.createDirectories(out3);
        WarmCliTest.Run tampered = run("export", "--data-dir", data.toString(), "--version", "3", "--out", out3.toString());
        assertEquals(1, tampered.exit());
        assertTrue(tampered.err().startsWith("refused to export default v3: " + weights + ": sha256 mismatch"),
                tampered.err());
        try (var left = Files.list(out3)) {
            assertEquals(0, left.count(), "an empty --out is left empty");
        }

        Path foreign = data.resolve("other-key");
        Files.writeString(foreign, java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        WarmCliTest.Run otherKey = run("export", "--data-dir", data.toString(), "--version", "1", "--out",
                data.resolve("out4").toString(), "--signing-key-file", foreign.toString());
        assertEquals(1, otherKey.exit());
        assertTrue(otherKey.err().contains(store.resolve("v1").resolve(ModelDirectory.MANIFEST_FILE)
                + ": signature check failed: signed with key"), otherKey.err());
    }

    @Test
    void withoutAKeyAnUnsignedVersionExportsWithAWarning() throws Exception {
        Path data = Files.createTempDirectory("warm-data");
        version(data.resolve("store/averages/default/v1"));
        Path out = data.resolve("out");
        WarmCliTest.Run r = run("export", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: no model signing key"), r.err());
        assertFalse(Files.exists(out.resolve(ManifestSignature.FILE)));
    }

    private static Path signer(Path dir, ModelSigner signer) {
        signer.sign(version(dir));
        return dir;
    }

    private static Path version(Path dir) {
        try (RewardModel m = RewardModel.create(BaseModels.tiny(7), Compute.cpu())) {
            m.save(dir, Map.of());
        }
        return dir;
    }
}
