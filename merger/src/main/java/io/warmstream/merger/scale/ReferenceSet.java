package io.warmstream.merger.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.merger.state.RewardScaleFigures;
import io.warmstream.model.Compute;
import io.warmstream.model.RewardModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The fixed reference set every published version's reward scale is measured on: one JSON object per line with
 * {@code prompt} and either {@code chosen} and {@code rejected} (the scorer's test-set format, so one curated file
 * serves both; both responses count as items) or {@code response}. Fixed on purpose: the merger's held-out sample
 * slides with the stream, so its mean would move with the data as well as with the model, and scales of two
 * versions measured on it could not be compared.
 */
public final class ReferenceSet {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<String> prompts;
    private final List<String> responses;
    private final Compute compute;

    private ReferenceSet(String name, List<String> prompts, List<String> responses, Compute compute) {
        this.name = name;
        this.prompts = List.copyOf(prompts);
        this.responses = List.copyOf(responses);
        this.compute = compute;
    }

    /** The first {@code maxItems} items of the file; a malformed line is an error naming file and line. */
    public static ReferenceSet load(Path file, int maxItems, Compute compute) {
        List<String> prompts = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference set " + file, e);
        }
        String[] lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length && prompts.size() < maxItems; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(lines[i]);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " is not JSON: " + e.getMessage(), e);
            }
            String prompt = text(n, "prompt", file, i);
            List<String> rs = n.has("response") ? List.of(text(n, "response", file, i))
                    : List.of(text(n, "chosen", file, i), text(n, "rejected", file, i));
            for (String r : rs) {
                if (prompts.size() < maxItems) {
                    prompts.add(prompt);
                    responses.add(r);
                }
            }
        }
        if (prompts.size() < 2) {
            throw new IllegalArgumentException("the reference set " + file + " needs at least 2 items for a spread");
        }
        return new ReferenceSet(file.getFileName() + "@" + sha256(bytes).substring(0, 12), prompts, responses, compute);
    }

    public String name() {
        return name;
    }

    public int size() {
        return prompts.size();
    }

    /** Scores every item with the model in {@code modelDir}: mean and population standard deviation. */
    public RewardScaleFigures measure(Path modelDir) {
        float[] r;
        try (RewardModel model = RewardModel.load(modelDir, compute)) {
            r = model.score(prompts, responses);
        }
        return figures(r, name);
    }

    /** Mean and population standard deviation of {@code rewards}. */
    public static RewardScaleFigures figures(float[] rewards, String reference) {
        double sum = 0;
        for (float x : rewards) {
            sum += x;
        }
        double mean = sum / rewards.length;
        double sq = 0;
        for (float x : rewards) {
            sq += (x - mean) * (x - mean);
        }
        return new RewardScaleFigures(mean, Math.sqrt(sq / rewards.length), rewards.length, reference);
    }

    private static String text(JsonNode n, String field, Path file, int line) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(file + " line " + (line + 1) + ": \"" + field + "\" must be a string "
                    + "(each line: prompt with chosen and rejected, or prompt with response)");
        }
        return v.asText();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
