package io.warmstream.model.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.model.weights.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A checkpoint store in an S3-compatible object store (AWS S3, MinIO, Ceph, S3Proxy...). The model directory under
 * key {@code k} is the objects {@code <prefix>/k/<file>}, plus a commit marker {@code <prefix>/k/.warmstream-store.json}
 * that lists every file with its size and SHA-256.
 *
 * <p>Atomicity without renames: {@link #put} deletes the old marker first, uploads the files, removes objects the new
 * directory does not have, and writes the marker last. A key "exists" only while a marker is there, and
 * {@link #fetch} downloads the files the marker lists and checks every size and hash before handing out the
 * directory (retrying when a concurrent put replaced them), so a reader never sees a partial directory.
 * Keys must not nest (no key may be a path prefix of another).
 *
 * <p>{@link #fetch} returns a local copy in a cache directory, reused while the marker is unchanged.
 *
 * <p>Longer than most classes because the atomic put, the verified fetch and the local cache share the marker format and must change together.
 */
public final class S3CheckpointStore implements CheckpointStore {

    /** The commit marker's name inside each stored directory. */
    public static final String MARKER = ".warmstream-store.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH_ATTEMPTS = 5;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path cache;
    private final Map<String, Object> keyLocks = new ConcurrentHashMap<>();

    /**
     * @param s3 a configured client (endpoint, region, credentials, path-style access as the server needs)
     * @param bucket the bucket, which must exist
     * @param prefix key prefix inside the bucket ("" for none)
     * @param cache local directory for fetched copies
     */
    public S3CheckpointStore(S3Client s3, String bucket, String prefix, Path cache) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 checkpoint store needs a bucket");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        try {
            this.cache = Files.createDirectories(cache.toAbsolutePath().normalize());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the S3 store's cache " + cache, e);
        }
    }

    /**
     * Opens {@code s3://bucket/prefix?endpoint=http://host:port&region=us-east-1&path-style=true&cache=/dir}.
     * Credentials come from the AWS default chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, system properties
     * aws.accessKeyId / aws.secretAccessKey, profiles...). Without {@code endpoint} the client talks to AWS;
     * {@code path-style} defaults to true when an endpoint is given (what MinIO and S3Proxy expect).
     */
    public static S3CheckpointStore open(URI location) {
        String bucket = location.getHost();
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 store location '" + location + "' needs a bucket: s3://bucket/prefix");
        }
        Map<String, String> q = query(location);
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .region(Region.of(q.getOrDefault("region", "us-east-1")));
        String endpoint = q.get("endpoint");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        builder.forcePathStyle(Boolean.parseBoolean(q.getOrDefault("path-style", String.valueOf(endpoint != null))));
        Path cache = q.containsKey("cache") ? Path.of(q.get("cache"))
                : Path.of(System.getProperty("java.io.tmpdir"), "warm-s3-cache");
        return new S3CheckpointStore(builder.build(), bucket, location.getPath(), cache);
    }

    @Override
    public URI put(String key, Path localModelDirectory) {
        try {
            return putObjects(key, localModelDirectory);
        } catch (SdkException e) {
            throw unavailable("cannot store " + key, e);
        }
    }

    private URI putObjects(String key, Path localModelDirectory) {
        String base = objectPrefix(key);
        Map<String, FileEntry> files = describe(localModelDirectory);
        synchronized (lock(key)) {
            s3.deleteObject(b -> b.bucket(bucket).key(base + MARKER));
            for (Map.Entry<String, FileEntry> e : files.entrySet()) {
                s3.putObject(b -> b.bucket(bucket).key(base + e.getKey()),
                        RequestBody.fromFile(localModelDirectory.resolve(e.getKey())));
            }
            List<String> stale = new ArrayList<>();
            for (S3Object o : list(base)) {
                String name = o.key().substring(base.length());
                if (!files.containsKey(name) && !name.equals(MARKER)) {
                    stale.add(o.key());
                }
            }
            deleteAll(stale);
            s3.putObject(b -> b.bucket(bucket).key(base + MARKER).contentType("application/json"),
                    RequestBody.fromBytes(markerBytes(files)));
        }
        return uriOf(key);
    }

    @Override
    public Path fetch(URI uri) {
        try {
            return fetchObjects(uri);
        } catch (SdkException e) {
            throw unavailable("cannot fetch " + uri, e);
        }
    }

    /** The object store did not answer, or answered with an error that is not "no such key": an outage. */
    private static RuntimeException unavailable(String what, SdkException e) {
        if (e instanceof S3Exception s && (s.statusCode() == 404 || s instanceof NoSuchKeyException)) {
            return new UncheckedIOException(new NoSuchFileException(what + ": " + e.getMessage()));
        }
        return new StoreUnavailableException(what + ": the object store did not serve the request: " + e.getMessage(),
                new IOException(e));
    }

    private Path fetchObjects(URI uri) {
        String key = keyOf(uri);
        String base = objectPrefix(key);
        Path target = cache.resolve(bucket).resolve(base).normalize();
        synchronized (lock(key)) {
            for (int attempt = 1; ; attempt++) {
                byte[] marker = readMarker(base, uri);
                Path cachedMarker = target.resolve(MARKER);
                try {
                    if (Files.isRegularFile(cachedMarker) && java.util.Arrays.equals(Files.readAllBytes(cachedMarker), marker)) {
                        return target;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Path staging = target.resolveSibling(".tmp-" + target.getFileName() + "-" + UUID.randomUUID());
                try {
                    if (download(base, parseMarker(marker, uri), staging)) {
                        Files.write(staging.resolve(MARKER), marker);
                        replace(staging, target);
                        return target;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot fetch " + uri + " into " + target, e);
                } finally {
                    DirectoryTree.delete(staging);
                }
                if (attempt >= FETCH_ATTEMPTS) {
                    throw new UncheckedIOException(new IOException(uri + " kept changing while it was fetched ("
                            + attempt + " attempts): files do not match their commit marker"));
                }
            }
        }
    }

    @Override
    public boolean exists(URI uri) {
        String base = objectPrefix(keyOf(uri));
        try {
            s3.headObject(b -> b.bucket(bucket).key(base + MARKER));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void delete(URI uri) {
        String key = keyOf(uri);
        String base = objectPrefix(key);
        synchronized (lock(key)) {
            s3.deleteObject(b -> b.bucket(bucket).key(base + MARKER));
            deleteAll(list(base).stream().map(S3Object::key).toList());
            DirectoryTree.delete(cache.resolve(bucket).resolve(base).normalize());
        }
    }

    @Override
    public URI uriOf(String key) {
        return URI.create("s3://" + bucket + "/" + objectPrefix(key).replaceAll("/$", ""));
    }

    private record FileEntry(long size, String sha256) {
    }

    private String objectPrefix(String key) {
        String k = key == null ? "" : key.replaceAll("^/+|/+$", "");
        for (String segment : k.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")) {
                throw new IllegalArgumentException("checkpoint key '" + key
                        + "' must be a relative path like checkpoints/default/job-1");
            }
        }
        return (prefix.isEmpty() ? "" : prefix + "/") + k + "/";
    }

    private String keyOf(URI uri) {
        if (!"s3".equals(uri.getScheme()) || !bucket.equals(uri.getHost())) {
            throw new IllegalArgumentException("this store (s3://" + bucket + "/" + prefix + ") cannot read " + uri);
        }
        String path = uri.getPath().replaceAll("^/+", "");
        String p = prefix.isEmpty() ? "" : prefix + "/";
        if (!path.startsWith(p) || path.length() == p.length()) {
            throw new IllegalArgumentException(uri + " is outside the checkpoint store s3://" + bucket + "/" + prefix);
        }
        return path.substring(p.length());
    }

    private Object lock(String key) {
        return keyLocks.computeIfAbsent(key, k -> new Object());
    }

    private static Map<String, FileEntry> describe(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UncheckedIOException(new NoSuchFileException(dir.toString(), null, "not a model directory"));
        }
        Map<String, FileEntry> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
                String name = dir.relativize(p).toString().replace('\\', '/');
                if (!name.equals(MARKER)) {
                    files.put(name, new FileEntry(Files.size(p), Sha256.ofFile(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return files;
    }

    private static byte[] markerBytes(Map<String, FileEntry> files) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "warmstream-store/1");
        Map<String, Object> f = new LinkedHashMap<>();
        files.forEach((name, e) -> f.put(name, Map.of("size", e.size(), "sha256", e.sha256())));
        m.put("files", f);
        try {
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, FileEntry> parseMarker(byte[] marker, URI uri) {
        try {
            Map<String, Object> m = JSON.readValue(marker, Map.class);
            Map<String, FileEntry> files = new TreeMap<>();
            ((Map<String, Map<String, Object>>) m.get("files")).forEach((name, e) ->
                    files.put(name, new FileEntry(((Number) e.get("size")).longValue(), (String) e.get("sha256"))));
            return files;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("unreadable commit marker of " + uri + ": " + e.getMessage(), e));
        }
    }

    private byte[] readMarker(String base, URI uri) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(base + MARKER)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new UncheckedIOException(new NoSuchFileException(uri.toString(), null, "no model stored at " + uri));
        }
    }

    /** Downloads the listed files into {@code staging}; false if one is missing or does not match (a concurrent put). */
    private boolean download(String base, Map<String, FileEntry> files, Path staging) throws IOException {
        Files.createDirectories(staging);
        for (Map.Entry<String, FileEntry> e : files.entrySet()) {
            Path file = staging.resolve(e.getKey()).normalize();
            if (!file.startsWith(staging)) {
                throw new IOException("commit marker names a file outside its directory: " + e.getKey());
            }
            Files.createDirectories(file.getParent());
            try {
                s3.getObject(b -> b.bucket(bucket).key(base + e.getKey()), ResponseTransformer.toFile(file));
            } catch (NoSuchKeyException missing) {
                return false;
            }
            if (Files.size(file) != e.getValue().size() || !Sha256.ofFile(file).equals(e.getValue().sha256())) {
                return false;
            }
        }
        return true;
    }

    private List<S3Object> list(String base) {
        List<S3Object> out = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(base)).contents().forEach(out::add);
        return out;
    }

    private void deleteAll(List<String> keys) {
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
        }
    }

    private static void replace(Path staging, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling(".tmp-old-" + target.getFileName() + "-" + UUID.randomUUID());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            DirectoryTree.delete(old);
        }
    }


    private static Map<String, String> query(URI uri) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isBlank()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(part.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }
}
