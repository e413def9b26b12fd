package io.warmstream.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.model.bert.BertRewardNetwork;
import io.warmstream.model.weights.NamedTensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fitted classifier head ({@code classifier.weight} [1, H], {@code classifier.bias} [1}) for one lineage: the
 * "LP" of LP-FT, shared by every member of one weight average so that they all start from the same point.
 * Stored as a small JSON file (floats round-trip exactly through their shortest decimal form).
 *
 * @param lineageId the {@link io.warmstream.model.weights.Lineage#id()} of the base it was fitted on
 * @param weight H weights
 * @param bias the bias
 * @param facts how it was fitted (pairs, probe accuracy, L2)
 */
public record RewardHead(String lineageId, float[] weight, float bias, Map<String, Object> facts) {

    // BigDecimal on read: decimal -> float rounding in one step, so every float comes back bit-exact.
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public RewardHead {
        if (lineageId == null || lineageId.isBlank()) {
            throw new IllegalArgumentException("head lineageId must be set");
        }
        if (weight == null || weight.length == 0) {
            throw new IllegalArgumentException("head weight must not be empty");
        }
        for (float w : weight) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("head weight is not finite");
            }
        }
        if (!Float.isFinite(bias)) {
            throw new IllegalArgumentException("head bias is not finite");
        }
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    public int hiddenSize() {
        return weight.length;
    }

    /** The head as the two classifier tensors of {@code BertForSequenceClassification}. */
    public List<NamedTensor> tensors() {
        return List.of(
                new NamedTensor(BertRewardNetwork.CLASSIFIER_WEIGHT, new long[] {1, weight.length}, weight.clone()),
                new NamedTensor(BertRewardNetwork.CLASSIFIER_BIAS, new long[] {1}, new float[] {bias}));
    }

    /** Writes the head atomically (temporary file, then rename). */
    public void save(Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "warmstream-reward-head/1");
        m.put("lineage_id", lineageId);
        m.put("hidden_size", weight.length);
        m.put("bias", bias);
        m.put("weight", weight);
        m.put("facts", facts);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".head", ".tmp");
            JSON.writeValue(tmp.toFile(), m);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write reward head " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static RewardHead load(Path file) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read reward head " + file + ": " + e.getMessage(), e);
        }
        if (!"warmstream-reward-head/1".equals(m.get("format"))) {
            throw new IllegalArgumentException(file + ": not a warmstream reward head (format " + m.get("format") + ")");
        }
        Object w = m.get("weight");
        if (!(w instanceof List<?> list) || !(m.get("bias") instanceof Number bias)
                || !(m.get("lineage_id") instanceof String lineage)) {
            throw new IllegalArgumentException(file + ": reward head needs lineage_id, bias and weight");
        }
        float[] weight = new float[list.size()];
        for (int i = 0; i < weight.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(file + ": weight[" + i + "] is not a number");
            }
            weight[i] = n.floatValue();
        }
        if (m.get("hidden_size") instanceof Number h && h.intValue() != weight.length) {
            throw new IllegalArgumentException(file + ": hidden_size " + h + " but " + weight.length + " weights");
        }
        Object facts = m.get("facts");
        return new RewardHead(lineage, weight, bias.floatValue(),
                facts instanceof Map<?, ?> f ? (Map<String, Object>) f : Map.of());
    }
}
