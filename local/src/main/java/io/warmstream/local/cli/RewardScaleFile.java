package io.warmstream.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code reward_scale.json} in an exported model directory: the version's reward scale (mean and std of its rewards
 * on the merger's fixed reference set), taken from the merger's {@code warm-average.json}, in a file of its own so
 * Python needs no knowledge of the sidecar and the hashed model files stay untouched. The scorer's
 * {@code "normalize": true} computes {@code (reward - mean) / std} with the same figures.
 */
final class RewardScaleFile {

    static final String FILE = "reward_scale.json";
    private static final String SIDECAR = "warm-average.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RewardScaleFile() {
    }

    /** Writes the file if the directory's sidecar records a scale; false when it records none. */
    static boolean write(Path modelDir) {
        Path sidecar = modelDir.resolve(SIDECAR);
        if (!Files.isRegularFile(sidecar)) {
            return false;
        }
        try {
            JsonNode scale = JSON.readTree(sidecar.toFile()).path("rewardScale");
            if (!scale.isObject() || !(scale.path("std").asDouble() > 0)) {
                return false;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("mean", scale.path("mean").asDouble());
            out.put("std", scale.path("std").asDouble());
            out.put("items", scale.path("items").asInt());
            out.put("reference", scale.path("reference").asText());
            out.put("normalized_reward", "(reward - mean) / std, reward = logits[:, 0]");
            Files.write(modelDir.resolve(FILE), JSON.writeValueAsBytes(out));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sidecar + " or write " + FILE, e);
        }
    }

    /** The Python (standard library only) that normalises a reward {@code r} the scorer's way. */
    static String pythonOneLiner(Path modelDir) {
        return "import json; s = json.load(open(\"" + modelDir.resolve(FILE) + "\")); normalized = (r - s[\"mean\"]) / s[\"std\"]";
    }
}
