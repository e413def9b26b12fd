package io.warmstream.merger.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code warm-average.json}, written into each average's model directory next to {@code warmstream.json}: which
 * version of which average the directory holds and its members with their URIs and accuracies. The model files
 * alone record members by job id and hash only; a rollback needs the rest, and readers of the store can tell what a
 * directory is without Kafka. Hugging Face loaders and {@code ModelDirectory.verify} ignore the extra file.
 */
public final class VersionSidecar {

    public static final String FILE = "warm-average.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private VersionSidecar() {
    }

    /** What a rollback takes over from the directory it republishes. */
    public record Content(String average, long version, String strategy, String lineage, long folds,
                          List<MemberInfo> members, Double validationAccuracy, Double membersMeanAccuracy,
                          int holdoutLabels) {
    }

    public static void write(Path modelDir, AverageState s) {
        write(modelDir, s, null);
    }

    /** @param scale the version's reward scale on the reference set, written as {@code rewardScale}; null: none */
    public static void write(Path modelDir, AverageState s, RewardScaleFigures scale) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "warmstream-average");
        root.put("average", s.average());
        root.put("version", s.version());
        root.put("strategy", s.strategy());
        root.put("lineage", s.lineage());
        root.put("folds", s.folds());
        ArrayNode members = root.putArray("members");
        for (MemberInfo m : s.members()) {
            ObjectNode n = members.addObject();
            n.put("jobId", m.jobId());
            n.put("uri", m.uri());
            n.put("sha256", m.sha256());
            if (Double.isFinite(m.validationAccuracy())) {
                n.put("validationAccuracy", m.validationAccuracy());
            }
            n.put("weight", m.weight());
            if (m.holdoutAccuracy() != null) {
                n.put("holdoutAccuracy", m.holdoutAccuracy());
            }
        }
        if (s.validationAccuracy() != null && Double.isFinite(s.validationAccuracy())) {
            root.put("validationAccuracy", s.validationAccuracy());
        }
        if (s.membersMeanAccuracy() != null && Double.isFinite(s.membersMeanAccuracy())) {
            root.put("membersMeanAccuracy", s.membersMeanAccuracy());
        }
        root.put("holdoutLabels", s.holdoutLabels());
        if (scale != null) {
            ObjectNode n = root.putObject("rewardScale");
            n.put("mean", scale.mean());
            n.put("std", scale.std());
            n.put("items", scale.items());
            n.put("reference", scale.reference());
        }
        try {
            Files.write(modelDir.resolve(FILE), JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelDir.resolve(FILE), e);
        }
    }

    /** The {@code rewardScale} a directory's sidecar records, or null (none measured, or no sidecar). */
    public static RewardScaleFigures readScale(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file)).path("rewardScale");
            if (!n.isObject()) {
                return null;
            }
            return new RewardScaleFigures(n.path("mean").asDouble(), n.path("std").asDouble(), n.path("items").asInt(),
                    n.path("reference").asText(null));
        } catch (IOException e) {
            return null;
        }
    }

    public static Content read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<MemberInfo> members = new ArrayList<>();
        for (JsonNode n : root.path("members")) {
            members.add(new MemberInfo(n.path("jobId").asText(), n.path("uri").asText(), n.path("sha256").asText(),
                    n.has("validationAccuracy") ? n.get("validationAccuracy").asDouble() : Double.NaN,
                    n.path("weight").asDouble(),
                    n.has("holdoutAccuracy") ? n.get("holdoutAccuracy").asDouble() : null));
        }
        return new Content(root.path("average").asText(), root.path("version").asLong(),
                root.path("strategy").asText(), root.path("lineage").asText(), root.path("folds").asLong(),
                members, root.has("validationAccuracy") ? root.get("validationAccuracy").asDouble() : null,
                root.has("membersMeanAccuracy") ? root.get("membersMeanAccuracy").asDouble() : null,
                root.path("holdoutLabels").asInt());
    }
}
