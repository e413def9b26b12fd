package io.warmstream.model.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of {@code warmstream.sig}: an HMAC-SHA256, under the key named by {@code keyId}, of a statement listing
 * the SHA-256 of {@code warmstream.json} (which records the hash of every model file) and of any other file written
 * beside it (the merger's {@code warm-average.json}). Signing the manifest's hash signs its bytes, and through them
 * every file hash, without reading the weights again.
 *
 * @param files     SHA-256 of each signed file by name; always holds {@code warmstream.json}
 * @param signature lower-case hex HMAC of {@link #statement()}
 */
public record ManifestSignature(String keyId, SortedMap<String, String> files, String signature) {

    public static final String FILE = "warmstream.sig";
    static final String FORMAT = "warmstream-signature";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    public ManifestSignature {
        files = new TreeMap<>(files);
    }

    /** What the HMAC covers: format, algorithm, key id and every signed file's name and hash, one per line. */
    static byte[] statement(String keyId, Map<String, String> files) {
        StringBuilder s = new StringBuilder(FORMAT).append(' ').append(FORMAT_VERSION).append('\n')
                .append("algorithm ").append(ModelSigningKeys.ALGORITHM).append('\n')
                .append("key ").append(keyId).append('\n');
        new TreeMap<>(files).forEach((name, sha) -> s.append("file ").append(name).append(' ').append(sha).append('\n'));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] statement() {
        return statement(keyId, files);
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("algorithm", ModelSigningKeys.ALGORITHM);
        root.put("keyId", keyId);
        ObjectNode f = root.putObject("files");
        files.forEach((name, sha) -> f.putObject(name).put("sha256", sha));
        root.put("signature", signature);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a signature", e);
        }
    }

    /** Parses warmstream.sig; anything missing or malformed is refused naming {@code file}. */
    static ManifestSignature fromJson(byte[] bytes, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ModelSignatureException(file, "not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !FORMAT.equals(root.path("format").asText())
                || root.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
            throw new ModelSignatureException(file, "not a " + FORMAT + " version " + FORMAT_VERSION + " file");
        }
        if (!ModelSigningKeys.ALGORITHM.equals(root.path("algorithm").asText())) {
            throw new ModelSignatureException(file, "algorithm " + root.path("algorithm") + " is not "
                    + ModelSigningKeys.ALGORITHM);
        }
        String keyId = text(root, "keyId", "[0-9a-f]{16}", file);
        String signature = text(root, "signature", "[0-9a-f]{64}", file);
        JsonNode filesNode = root.path("files");
        if (!filesNode.isObject()) {
            throw new ModelSignatureException(file, "field files missing or not an object");
        }
        SortedMap<String, String> files = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = filesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
                throw new ModelSignatureException(file, "signed file name '" + e.getKey() + "' is not a plain file name");
            }
            files.put(e.getKey(), text(e.getValue(), "sha256", "[0-9a-f]{64}", file));
        }
        return new ManifestSignature(keyId, files, signature);
    }

    private static String text(JsonNode node, String field, String pattern, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || !v.textValue().matches(pattern)) {
            throw new ModelSignatureException(file, "field " + field + " missing or malformed");
        }
        return v.textValue();
    }
}
