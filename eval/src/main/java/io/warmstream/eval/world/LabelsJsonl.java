package io.warmstream.eval.world;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Preference labels as JSON Lines, one {@link LabelledPair} per line with the fields {@code id, prompt, chosen,
 * rejected, labeller, source, confidence, createdAt, metadata}. {@code confidence} and {@code metadata} may be absent
 * or null; {@code createdAt} is epoch milliseconds (an ISO-8601 instant is also accepted when reading). Unknown
 * fields are ignored. Parse errors name the offending field, and {@link #scan} carries on past bad lines.
 */
public final class LabelsJsonl {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] REQUIRED_TEXT = {"id", "prompt", "chosen", "rejected", "labeller", "source"};

    private LabelsJsonl() {
    }

    public static String toJson(LabelledPair label) {
        try {
            return MAPPER.writeValueAsString(label);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise label " + label.id(), e);
        }
    }

    /** Writes one line per label; returns how many were written. */
    public static long write(Stream<LabelledPair> labels, Writer out) throws IOException {
        long count = 0;
        for (Iterator<LabelledPair> it = labels.iterator(); it.hasNext(); count++) {
            out.write(toJson(it.next()));
            out.write('\n');
        }
        out.flush();
        return count;
    }

    public static long write(Stream<LabelledPair> labels, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            return write(labels, out);
        }
    }

    /** Reads every label of a file; the first bad line fails the whole read with its line number. */
    public static List<LabelledPair> read(Path file) throws IOException {
        List<LabelledPair> labels = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            scan(in, labels::add, (line, error) -> {
                throw new IllegalArgumentException(file + " line " + line + ": " + error);
            });
        }
        return labels;
    }

    /**
     * Reads labels line by line, passing good ones to {@code good} and (line number, reason) for bad ones to
     * {@code bad}, then carries on. Blank lines are skipped.
     */
    public static void scan(BufferedReader in, Consumer<LabelledPair> good, BiConsumer<Long, String> bad) {
        long lineNumber = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                LabelledPair label;
                try {
                    label = parse(line);
                } catch (IllegalArgumentException e) {
                    bad.accept(lineNumber, e.getMessage());
                    continue;
                }
                good.accept(label);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading labels failed after line " + lineNumber, e);
        }
    }

    /** Parses one line; throws {@link IllegalArgumentException} naming the offending field. */
    public static LabelledPair parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a label must be a JSON object");
        }
        String[] text = new String[REQUIRED_TEXT.length];
        for (int i = 0; i < REQUIRED_TEXT.length; i++) {
            JsonNode field = node.get(REQUIRED_TEXT[i]);
            if (field == null || field.isNull()) {
                throw new IllegalArgumentException("missing field '" + REQUIRED_TEXT[i] + "'");
            }
            if (!field.isTextual() || field.asText().isBlank()) {
                throw new IllegalArgumentException("field '" + REQUIRED_TEXT[i] + "' must be a non-blank string");
            }
            text[i] = field.asText();
        }
        return new LabelledPair(text[0], text[1], text[2], text[3], text[4], text[5], confidence(node.get("confidence")),
                createdAt(node.get("createdAt")), metadata(node.get("metadata")));
    }

    private static Double confidence(JsonNode field) {
        if (field == null || field.isNull()) {
            return null;
        }
        if (!field.isNumber() || !(field.asDouble() >= 0 && field.asDouble() <= 1)) {
            throw new IllegalArgumentException("field 'confidence' must be a number in [0, 1]");
        }
        return field.asDouble();
    }

    private static long createdAt(JsonNode field) {
        if (field == null || field.isNull()) {
            throw new IllegalArgumentException("missing field 'createdAt'");
        }
        if (field.isIntegralNumber() && field.canConvertToLong()) {
            return field.asLong();
        }
        if (field.isTextual()) {
            try {
                return Instant.parse(field.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("field 'createdAt' must be epoch milliseconds or an ISO-8601 instant");
    }

    private static Map<String, String> metadata(JsonNode field) {
        if (field == null || field.isNull()) {
            return Map.of();
        }
        if (!field.isObject()) {
            throw new IllegalArgumentException("field 'metadata' must be an object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = field.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new IllegalArgumentException("field 'metadata." + entry.getKey() + "' must be a string");
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        }
        return metadata;
    }
}
