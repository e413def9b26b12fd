package io.warmstream.merger;

import io.warmstream.model.store.FileSystemCheckpointStore;
import io.warmstream.model.store.ManifestSignature;
import io.warmstream.model.store.ModelSigner;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.model.weights.ModelDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The init model the merger writes from a base name is signed, reused while it verifies, rewritten when not. */
class InitModelsTest {

    @TempDir
    Path tmp;

    @Test
    void initWrittenFromABaseNameIsSignedAndRewrittenWhenForged() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 5);
        ModelSigner signer = new ModelSigner(ModelSigningKeys.of(key));
        FileSystemCheckpointStore store = new FileSystemCheckpointStore(tmp.resolve("store"));

        Path init = InitModels.resolve("tiny:7", store, tmp.resolve("init"), signer);
        String sha = signer.verify(init).weightsSha256();
        String signature = Files.readString(init.resolve(ManifestSignature.FILE));
        assertEquals(init, InitModels.resolve("tiny:7", store, tmp.resolve("init"), signer));
        assertEquals(signature, Files.readString(init.resolve(ManifestSignature.FILE)), "reused as it is");

        ModelSigningIntegrationTest.forgeTokenizer(init); // passes every hash check, not the signature
        assertEquals(init, InitModels.resolve("tiny:7", store, tmp.resolve("init"), signer));
        assertEquals(sha, signer.verify(init).weightsSha256());
        assertFalse(Files.readString(init.resolve(ModelDirectory.TOKENIZER_FILE)).contains("warm-forgery"), "written again");
        assertTrue(Files.isRegularFile(init.resolve(ManifestSignature.FILE)));
    }
}
