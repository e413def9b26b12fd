package io.warmstream.scorer.evaluation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A fixed test set of pairs whose better response is known: a clean, curated set in production, the gold reward's
 * verdict in the simulator. One JSON object per line with {@code prompt}, {@code chosen} (the better response) and
 * {@code rejected}; other fields ({@code id}, {@code metadata}, ...) are ignored, so the labels files the simulator
 * writes load as they are.
 */
public record TestSet(String name, List<String> prompts, List<String> preferred, List<String> other) {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> REQUIRED = Set.of("prompt", "chosen", "rejected");

    public TestSet {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("test set name must be letters, digits, '.', '_' or '-', got '" + name + "'");
        }
        prompts = List.copyOf(prompts);
        preferred = List.copyOf(preferred);
        other = List.copyOf(other);
        if (prompts.isEmpty() || prompts.size() != preferred.size() || prompts.size() != other.size()) {
            throw new IllegalArgumentException("test set " + name + " needs at least one complete pair");
        }
    }

    public int size() {
        return prompts.size();
    }

    /**
     * The first {@code maxPairs} pairs of a JSONL file. A line that is not such an object is an error naming the
     * file and line: a test set is an operator's file, and a silently shorter one would mislead every figure.
     */
    public static TestSet load(String name, Path file, int maxPairs) {
        List<String> prompts = new ArrayList<>();
        List<String> preferred = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null && prompts.size() < maxPairs) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] pair = parse(line, file, number);
                prompts.add(pair[0]);
                preferred.add(pair[1]);
                other.add(pair[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test set " + name + " from " + file, e);
        }
        return new TestSet(name, prompts, preferred, other);
    }

    private static String[] parse(String line, Path file, int number) {
        String[] out = new String[3];
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(where(file, number) + "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                int slot = switch (field) {
                    case "prompt" -> 0;
                    case "chosen" -> 1;
                    case "rejected" -> 2;
                    default -> -1;
                };
                if (slot < 0) {
                    p.skipChildren();
                } else if (value == JsonToken.VALUE_STRING && !p.getText().isBlank()) {
                    out[slot] = p.getText();
                } else {
                    throw new IllegalArgumentException(where(file, number) + "'" + field + "' must be a non-blank string");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(where(file, number) + "not valid JSON: " + e.getMessage(), e);
        }
        for (String field : REQUIRED) {
            if (out[slotOf(field)] == null) {
                throw new IllegalArgumentException(where(file, number) + "'" + field + "' is missing");
            }
        }
        return out;
    }

    private static int slotOf(String field) {
        return switch (field) {
            case "prompt" -> 0;
            case "chosen" -> 1;
            default -> 2;
        };
    }

    private static String where(Path file, int line) {
        return file + " line " + line + ": ";
    }
}
