package io.warmstream.model.weights;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of warmstream.json: lineage, training facts, the SHA-256 of every other file in the directory, and,
 * for an average, its {@link MergeRecord}. Everything a merger needs to fold into a model without reading weights.
 *
 * @param fileSha256 SHA-256 of config.json and tokenizer.json, by file name
 * @param merge      null for a trained (not merged) model
 */
public record ModelManifest(int formatVersion, Lineage lineage, String weightsSha256, long weightsBytes,
                            Map<String, String> fileSha256, Map<String, Object> facts, MergeRecord merge) {

    public static final int FORMAT_VERSION = 1;
    static final String FORMAT = "warmstream-model";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public ModelManifest {
        fileSha256 = Map.copyOf(fileSha256);
        facts = facts == null ? Map.of() : facts;
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", formatVersion);
        ObjectNode lin = root.putObject("lineage");
        lin.put("id", lineage.id());
        lin.put("baseHash", lineage.baseHash());
        lin.put("architecture", lineage.architecture());
        ObjectNode weights = root.putObject("weights");
        weights.put("file", ModelDirectory.WEIGHTS_FILE);
        weights.put("sha256", weightsSha256);
        weights.put("bytes", weightsBytes);
        ObjectNode files = root.putObject("files");
        fileSha256.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> files.putObject(e.getKey()).put("sha256", e.getValue()));
        root.set("facts", JSON.valueToTree(facts));
        if (merge != null) {
            ObjectNode m = root.putObject("merge");
            m.put("strategy", merge.strategy());
            m.set("parameters", JSON.valueToTree(merge.parameters()));
            m.put("folds", merge.folds());
            ArrayNode members = m.putArray("members");
            for (Member member : merge.members()) {
                members.addObject().put("jobId", member.jobId()).put("sha256", member.sha256())
                        .put("weight", member.weight());
            }
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalArgumentException("facts or merge parameters are not JSON-serialisable", e);
        }
    }

    /** Parses warmstream.json; every missing or mistyped field is refused by name. */
    static ModelManifest fromJson(byte[] bytes, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ModelFormatException(where + ": not valid JSON: " + e.getMessage());
        }
        Fields f = new Fields(where);
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(where + ": not a JSON object");
        }
        if (!FORMAT.equals(f.text(root, "format"))) {
            throw new ModelFormatException(where + ": format is not " + FORMAT);
        }
        int version = (int) f.number(root, "formatVersion");
        if (version != FORMAT_VERSION) {
            throw new ModelFormatException(where + ": formatVersion " + version + " not supported (this reader knows "
                    + FORMAT_VERSION + ")");
        }
        JsonNode lin = f.object(root, "lineage");
        Lineage lineage;
        try {
            lineage = new Lineage(f.text(lin, "baseHash"), f.text(lin, "architecture"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
        String id = f.text(lin, "id");
        if (!id.equals(lineage.id())) {
            throw new ModelFormatException(where + ": lineage.id " + id + " does not match baseHash and architecture ("
                    + lineage.id() + ")");
        }
        JsonNode weights = f.object(root, "weights");
        String sha = f.sha(weights, "sha256");
        long bytesCount = f.number(weights, "bytes");
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode filesNode = f.object(root, "files");
        for (var it = filesNode.fields(); it.hasNext(); ) {
            var e = it.next();
            files.put(e.getKey(), f.sha(e.getValue(), "sha256"));
        }
        Map<String, Object> facts = f.map(f.object(root, "facts"));
        MergeRecord merge = null;
        if (root.has("merge")) {
            JsonNode m = f.object(root, "merge");
            List<Member> members = new ArrayList<>();
            JsonNode list = m.get("members");
            if (list == null || !list.isArray()) {
                throw new ModelFormatException(where + ": merge.members must be an array");
            }
            for (JsonNode node : list) {
                if (!node.path("weight").isNumber()) {
                    throw new ModelFormatException(where + ": merge.members[].weight must be a number");
                }
                try {
                    members.add(new Member(f.text(node, "jobId"), f.sha(node, "sha256"), node.get("weight").doubleValue()));
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(where + ": " + e.getMessage());
                }
            }
            try {
                merge = new MergeRecord(f.text(m, "strategy"), f.map(f.object(m, "parameters")), f.number(m, "folds"), members);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(where + ": merge: " + e.getMessage());
            }
        }
        return new ModelManifest(version, lineage, sha, bytesCount, files, facts, merge);
    }

    /** Typed field access whose errors name the file and the field. */
    private record Fields(String where) {
        String text(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isTextual()) {
                throw new ModelFormatException(where + ": field " + name + " missing or not a string");
            }
            return v.textValue();
        }

        String sha(JsonNode node, String name) {
            String s = text(node, name);
            if (!s.matches("[0-9a-f]{64}")) {
                throw new ModelFormatException(where + ": field " + name + " is not a lower-case hex SHA-256");
            }
            return s;
        }

        long number(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ModelFormatException(where + ": field " + name + " missing or not a non-negative integer");
            }
            return v.longValue();
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode v = node.get(name);
            if (v == null || !v.isObject()) {
                throw new ModelFormatException(where + ": field " + name + " missing or not an object");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(JsonNode node) {
            return JSON.convertValue(node, LinkedHashMap.class);
        }
    }
}
