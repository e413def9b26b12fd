package io.warmstream.scorer.http;

import com.fasterxml.jackson.core.JsonFactory;
import io.warmstream.platform.json.JsonTokens;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks request bodies with a streaming parser, stopping at the first problem with an {@link ApiError}
 * naming the field ({@code items[3].response}). Limits are checked while reading, so an oversized batch is refused
 * before it is materialised. Unknown fields are refused ({@code unknown_field}, naming the field), so a misspelt
 * field is never dropped in silence; duplicate fields are malformed JSON. Every nested value is refused at its first
 * token, so nesting costs nothing.
 */
public final class RequestReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final int maxItems;
    private final int maxChars;

    /** @param maxItems items per rewards request; @param maxChars code points per text */
    public RequestReader(int maxItems, int maxChars) {
        this.maxItems = maxItems;
        this.maxChars = maxChars;
    }

    /** Body of {@code POST /v1/rewards}: {@code {"items":[{"prompt":..,"response":..},..]}} and {@link ScoringOptions}. */
    public record Items(List<String> prompts, List<String> responses, ScoringOptions options) {
        public Items(List<String> prompts, List<String> responses) {
            this(prompts, responses, ScoringOptions.NONE);
        }
    }

    /** Body of {@code POST /v1/compare}: {@code {"prompt":..,"a":..,"b":..}} and {@link ScoringOptions}. */
    public record Comparison(String prompt, String a, String b, ScoringOptions options) {
        public Comparison(String prompt, String a, String b) {
            this(prompt, a, b, ScoringOptions.NONE);
        }
    }

    public Items readItems(byte[] body) {
        return parse(body, p -> {
            List<String> prompts = null;
            List<String> responses = null;
            ScoringOptions.Builder options = new ScoringOptions.Builder();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("items")) {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw bad("wrong_type", "items", "items must be an array of {\"prompt\", \"response\"} objects");
                    }
                    prompts = new ArrayList<>();
                    responses = new ArrayList<>();
                    readArray(p, prompts, responses);
                } else if (!options.read(name, p)) {
                    throw unknown(name, "items, " + ScoringOptions.FIELDS);
                }
            }
            if (prompts == null) {
                throw bad("missing_field", "items", "the body has no \"items\" array");
            }
            if (prompts.isEmpty()) {
                throw bad("empty_batch", "items", "items is empty: send at least one {\"prompt\", \"response\"}");
            }
            return new Items(List.copyOf(prompts), List.copyOf(responses), options.build());
        });
    }

    public Comparison readComparison(byte[] body) {
        return parse(body, p -> {
            String[] v = new String[3];
            String[] names = {"prompt", "a", "b"};
            ScoringOptions.Builder options = new ScoringOptions.Builder();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                int i = List.of(names).indexOf(name);
                if (i >= 0) {
                    v[i] = text(p, name);
                } else if (!options.read(name, p)) {
                    throw unknown(name, "prompt, a, b, " + ScoringOptions.FIELDS);
                }
            }
            for (int i = 0; i < 3; i++) {
                if (v[i] == null) {
                    throw bad("missing_field", names[i], "the body has no \"" + names[i] + "\" string");
                }
            }
            return new Comparison(v[0], v[1], v[2], options.build());
        });
    }

    private void readArray(JsonParser p, List<String> prompts, List<String> responses) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (index == maxItems) {
                throw new BadRequestException(new ApiError("too_many_items", "more than " + maxItems
                        + " items in one request (warm.scorer.limits.max-items); split the batch", "items", (long) maxItems, null, null), 413);
            }
            String at = "items[" + index + "]";
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad("wrong_type", at, at + " must be an object with \"prompt\" and \"response\" strings");
            }
            String prompt = null;
            String response = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "prompt" -> prompt = text(p, at + ".prompt");
                    case "response" -> response = text(p, at + ".response");
                    default -> throw unknown(at + "." + name, "prompt, response");
                }
            }
            if (prompt == null) {
                throw bad("missing_field", at + ".prompt", at + " has no \"prompt\" string");
            }
            if (response == null) {
                throw bad("missing_field", at + ".response", at + " has no \"response\" string");
            }
            prompts.add(prompt);
            responses.add(response);
            index++;
        }
    }

    private String text(JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw bad("wrong_type", field, field + " must be a string, got " + JsonTokens.describe(p.currentToken()));
        }
        String s = p.getText();
        if (s.length() > maxChars) {
            int chars = s.codePointCount(0, s.length());
            if (chars > maxChars) {
                throw new BadRequestException(new ApiError("text_too_long", field + " has " + chars
                        + " characters, more than the limit of " + maxChars, field, (long) maxChars, null, null));
            }
        }
        return s;
    }

    private interface Body<T> {
        T read(JsonParser p) throws IOException;
    }

    private static <T> T parse(byte[] body, Body<T> reader) {
        if (body == null || body.length == 0) {
            throw new BadRequestException(ApiError.of("empty_body", "the request body is empty: send a JSON object"));
        }
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new BadRequestException(ApiError.of("wrong_type", "the body must be a JSON object, got " + JsonTokens.describe(first)));
            }
            T result = reader.read(p);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new BadRequestException(new ApiError("malformed_json", "unexpected content after the JSON object",
                        null, null, at.getLineNr() > 0 ? (long) at.getLineNr() : null, at.getColumnNr() > 0 ? (long) at.getColumnNr() : null));
            }
            return result;
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            throw new BadRequestException(new ApiError("malformed_json", "the body is not valid JSON: " + e.getOriginalMessage(),
                    null, null, at != null && at.getLineNr() > 0 ? (long) at.getLineNr() : null,
                    at != null && at.getColumnNr() > 0 ? (long) at.getColumnNr() : null));
        } catch (IOException e) {
            // E.g. bytes that are no Unicode encoding at all: still the client's body that is wrong.
            throw new BadRequestException(ApiError.of("malformed_json", "the body is not readable JSON: " + e.getMessage()));
        }
    }


    private static BadRequestException unknown(String field, String known) {
        String shown = field.length() > 200 ? field.substring(0, 200) + "..." : field;
        return bad("unknown_field", shown, "unknown field " + shown + " (fields: " + known + ")");
    }

    private static BadRequestException bad(String code, String field, String message) {
        return new BadRequestException(ApiError.field(code, field, message));
    }
}
