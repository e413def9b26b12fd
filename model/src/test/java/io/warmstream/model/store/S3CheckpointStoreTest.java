package io.warmstream.model.store;

import io.warmstream.model.BaseModels;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;
import io.warmstream.model.weights.ModelDirectory;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The S3 store against a real S3 server (S3Proxy, filesystem backend) in this JVM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3CheckpointStoreTest {

    private static final String ID = "warm-test";
    private static final String SECRET = "warm-test-secret";

    @TempDir
    static Path tmp;
    private S3Proxy proxy;
    private S3Client client;
    private String endpoint;

    @BeforeAll
    void startServer() throws Exception {
        Path blobs = Files.createDirectories(tmp.resolve("blobs"));
        proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ID, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            assertTrue(System.nanoTime() < deadline, "S3Proxy did not start");
            Thread.sleep(10);
        }
        endpoint = "http://127.0.0.1:" + proxy.getPort();
        client = S3Client.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET)))
                .httpClient(UrlConnectionHttpClient.create()).build();
        client.createBucket(b -> b.bucket("warm"));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    private S3CheckpointStore store(String cache) {
        return new S3CheckpointStore(client, "warm", "team/a", tmp.resolve(cache));
    }

    private Path dir(String name, String weights) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("src").resolve(name));
        Files.writeString(d.resolve("model.safetensors"), weights);
        Files.writeString(d.resolve("config.json"), "{}");
        return d;
    }

    @Test
    void aTrainedModelGoesInAndComesBackLoadable() throws Exception {
        S3CheckpointStore store = store("cache-model");
        Path src = tmp.resolve("model");
        try (RewardModel m = RewardModel.create(BaseModels.tiny(3), Compute.cpu(), 16)) {
            m.save(src, Map.of("job", "j1"));
        }
        URI uri = store.put("checkpoints/default/j1", src);
        assertEquals(URI.create("s3://warm/team/a/checkpoints/default/j1"), uri);
        assertTrue(store.exists(uri));
        // another machine: its own cache
        Path fetched = store("cache-other").fetch(uri);
        assertEquals(ModelDirectory.verify(src).weightsSha256(), ModelDirectory.verify(fetched).weightsSha256());
        try (RewardModel back = RewardModel.load(fetched, Compute.cpu())) {
            assertEquals("j1", back.facts().get("job"));
        }
        assertEquals(fetched, store("cache-other").fetch(uri), "an unchanged model is served from the cache");
    }

    @Test
    void putReplacesWholeDeleteRemovesAndKeysStayInside() throws Exception {
        S3CheckpointStore store = store("cache-replace");
        URI uri = store.put("heads/default/h1", dir("a", "first"));
        Path extra = dir("b", "second");
        Files.writeString(extra.resolve("head.json"), "{\"x\":1}");
        Files.delete(extra.resolve("config.json"));
        store.put("heads/default/h1", extra);
        Path got = store.fetch(uri);
        assertEquals("second", Files.readString(got.resolve("model.safetensors")));
        assertEquals("{\"x\":1}", Files.readString(got.resolve("head.json")));
        assertFalse(Files.exists(got.resolve("config.json")), "a file the new directory lacks is gone");
        assertEquals(3, client.listObjectsV2(b -> b.bucket("warm").prefix("team/a/heads/default/h1/")).keyCount(),
                "two files and the commit marker");

        store.delete(uri);
        assertFalse(store.exists(uri));
        store.delete(uri); // idempotent
        assertThrows(UncheckedIOException.class, () -> store.fetch(uri));
        assertThrows(IllegalArgumentException.class, () -> store.put("../escape", extra));
        assertThrows(IllegalArgumentException.class, () -> store.put("a//b", extra));
        assertThrows(IllegalArgumentException.class, () -> store.fetch(URI.create("s3://other/team/a/x")));
        assertThrows(IllegalArgumentException.class, () -> store.fetch(URI.create("s3://warm/elsewhere/x")));
    }

    @Test
    void aDirectoryWithoutItsMarkerIsNotThereAndATamperedFileIsNotHandedOut() throws Exception {
        S3CheckpointStore store = store("cache-tamper");
        URI uri = store.put("checkpoints/default/j2", dir("c", "weights"));
        // files without a marker (a put that died half-way) do not exist for readers
        client.deleteObject(b -> b.bucket("warm").key("team/a/checkpoints/default/j2/" + S3CheckpointStore.MARKER));
        assertFalse(store.exists(uri));
        assertThrows(UncheckedIOException.class, () -> store.fetch(uri));

        URI again = store.put("checkpoints/default/j2", dir("d", "weights"));
        client.putObject(b -> b.bucket("warm").key("team/a/checkpoints/default/j2/model.safetensors"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("altered"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> store("cache-tamper-2").fetch(again));
        assertTrue(e.getMessage().contains("do not match their commit marker"), e.getMessage());
    }

    @Test
    void openReadsTheLocationAndTheDefaultCredentialChain() throws Exception {
        System.setProperty("aws.accessKeyId", ID);
        System.setProperty("aws.secretAccessKey", SECRET);
        try {
            CheckpointStore store = CheckpointStore.open("s3://warm/opened?endpoint=" + endpoint + "&cache="
                    + tmp.resolve("cache-open"));
            URI uri = store.put("averages/default/v1", dir("e", "avg"));
            assertEquals(URI.create("s3://warm/opened/averages/default/v1"), uri);
            assertArrayEquals("avg".getBytes(), Files.readAllBytes(store.fetch(uri).resolve("model.safetensors")));
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }
}
