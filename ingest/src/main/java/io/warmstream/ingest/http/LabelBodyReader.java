package io.warmstream.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.warmstream.events.PreferenceLabel;
import io.warmstream.ingest.rules.Reason;
import io.warmstream.ingest.rules.Violation;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a request body (one JSON object, a JSON array of objects, or NDJSON) into labels, one {@link Item} per
 * element. Problems confined to one element (wrong types, invalid UTF-8 inside it, a broken NDJSON line) become
 * that element's violation; only a JSON body that cannot be parsed at all is refused as a whole.
 * <p>
 * Streaming parsing (no tree, no data binding) keeps the per-label cost low and lets wrong types be reported
 * per field. Absent optional fields get defaults here: a random UUID id, the configured labeller and source,
 * and the current time. Unknown fields are ignored so that clients may send more than we store.
 */
public final class LabelBodyReader {

    /** One element of the body: a label ready for the rules, or the reason it could not be read. */
    public record Item(int index, int line, PreferenceLabel label, Violation violation) {
        public boolean ok() {
            return violation == null;
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final int F_ID = 1, F_PROMPT = 2, F_CHOSEN = 4, F_REJECTED = 8, F_LABELLER = 16, F_SOURCE = 32,
            F_CONFIDENCE = 64, F_CREATED_AT = 128, F_METADATA = 256;

    private final String defaultLabeller;
    private final String defaultSource;
    private final Clock clock;

    public LabelBodyReader(String defaultLabeller, String defaultSource, Clock clock) {
        this.defaultLabeller = defaultLabeller;
        this.defaultSource = defaultSource;
        this.clock = clock;
    }

    /** Reads a JSON body: one object, or an array whose elements are items. */
    public List<Item> readJson(byte[] body) throws MalformedBodyException {
        Utf8Repair.Result text = Utf8Repair.repair(body, 0, body.length);
        List<Item> items = new ArrayList<>();
        try (JsonParser p = JSON.createParser(text.bytes(), text.offset(), text.length())) {
            JsonToken first = p.nextToken();
            if (first == null) throw new MalformedBodyException("empty_body", "the request body is empty", -1, -1);
            if (first == JsonToken.START_OBJECT) {
                items.add(readItem(p, 0, 0, text));
            } else if (first == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new MalformedBodyException("malformed_json", "unexpected end of input inside the array", -1, -1);
                    int index = items.size();
                    if (t == JsonToken.START_OBJECT) {
                        items.add(readItem(p, index, 0, text));
                    } else {
                        p.skipChildren();
                        items.add(notAnObject(index, 0, t));
                    }
                }
            } else {
                JsonLocation at = p.currentTokenLocation();
                throw new MalformedBodyException("not_an_object_or_array",
                        "the body must be a JSON object or an array of objects", at.getLineNr(), at.getColumnNr());
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new MalformedBodyException("malformed_json", "unexpected content after the JSON value",
                        at.getLineNr(), at.getColumnNr());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new MalformedBodyException("malformed_json", e.getOriginalMessage(),
                    at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr());
        } catch (IOException e) {
            throw new MalformedBodyException("malformed_json", e.getMessage(), -1, -1);
        }
        if (items.isEmpty()) throw new MalformedBodyException("empty_batch", "the array holds no labels", 1, 1);
        return items;
    }

    /** Reads NDJSON: one JSON object per line; blank lines are skipped and do not count as items. */
    public List<Item> readNdjson(byte[] body) throws MalformedBodyException {
        List<Item> items = new ArrayList<>();
        int line = 0;
        int start = 0;
        while (start <= body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') end++;
            line++;
            int stop = end;
            if (stop > start && body[stop - 1] == '\r') stop--;
            if (!isBlank(body, start, stop)) items.add(readLine(body, start, stop - start, items.size(), line));
            start = end + 1;
        }
        if (items.isEmpty()) throw new MalformedBodyException("empty_body", "the request body holds no NDJSON lines", -1, -1);
        return items;
    }

    private Item readLine(byte[] body, int off, int len, int index, int line) {
        Utf8Repair.Result text = Utf8Repair.repair(body, off, len);
        try (JsonParser p = JSON.createParser(text.bytes(), text.offset(), text.length())) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return notAnObject(index, line, t);
            }
            Item item = readItem(p, index, line, text);
            if (p.nextToken() != null) {
                return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                        "line " + line + ": unexpected content after the JSON object"));
            }
            return item;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "line " + line : "line " + line + ", column " + at.getColumnNr();
            return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                    where + ": " + e.getOriginalMessage()));
        } catch (IOException e) {
            return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.MALFORMED_JSON,
                    "line " + line + ": " + e.getMessage()));
        }
    }

    /** Reads one object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private Item readItem(JsonParser p, int index, int line, Utf8Repair.Result text) throws IOException {
        long itemStart = p.currentTokenLocation().getByteOffset();
        String id = null, prompt = null, chosen = null, rejected = null, labeller = null, source = null;
        Double confidence = null;
        Instant createdAt = null;
        Map<String, String> metadata = null;
        Violation violation = null;
        int seen = 0;

        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            int flag = flagOf(name);
            if (flag != 0 && (seen & flag) != 0 && violation == null) {
                violation = Violation.of(name, Reason.DUPLICATE_FIELD, name + " appears more than once");
            }
            seen |= flag;
            if (violation != null || flag == 0) { // keep reading to find the object's end, but ignore the values
                p.skipChildren();
                continue;
            }
            long valueStart = p.currentTokenLocation().getByteOffset();
            Object value;
            switch (flag) {
                case F_CONFIDENCE -> value = readNumber(p, name);
                case F_CREATED_AT -> value = readInstant(p, name);
                case F_METADATA -> value = readMetadata(p);
                default -> value = readString(p, name);
            }
            if (value instanceof Violation v) {
                violation = v;
                continue;
            }
            if (!text.clean() && text.anyBadIn(valueStart, p.currentLocation().getByteOffset())) {
                violation = Violation.of(name, Reason.INVALID_UTF8, name + " holds bytes that are not valid UTF-8");
                continue;
            }
            switch (flag) {
                case F_ID -> id = (String) value;
                case F_PROMPT -> prompt = (String) value;
                case F_CHOSEN -> chosen = (String) value;
                case F_REJECTED -> rejected = (String) value;
                case F_LABELLER -> labeller = (String) value;
                case F_SOURCE -> source = (String) value;
                case F_CONFIDENCE -> confidence = (Double) value;
                case F_CREATED_AT -> createdAt = (Instant) value;
                default -> metadata = castMap(value);
            }
        }
        if (t != JsonToken.END_OBJECT) throw new JsonProcessingExceptionAt("unexpected token " + t, p);
        if (violation == null && !text.clean() && text.anyBadIn(itemStart, p.currentLocation().getByteOffset())) {
            violation = Violation.of(Violation.WHOLE_ITEM, Reason.INVALID_UTF8, "the item holds bytes that are not valid UTF-8");
        }
        if (violation != null) return new Item(index, line, null, violation);

        // Absent optional fields get defaults; absent required fields are left null for the rules to name.
        if (id == null) id = UUID.randomUUID().toString();
        if (labeller == null || labeller.isBlank()) labeller = defaultLabeller;
        if (source == null || source.isBlank()) source = defaultSource;
        if (createdAt == null) createdAt = clock.instant();
        if (prompt == null) return missing(index, line, "prompt");
        if (chosen == null) return missing(index, line, "chosen");
        if (rejected == null) return missing(index, line, "rejected");
        return new Item(index, line,
                new PreferenceLabel(id, prompt, chosen, rejected, labeller, source, confidence, createdAt, metadata), null);
    }

    private static Item missing(int index, int line, String field) {
        return new Item(index, line, null, Violation.of(field, Reason.MISSING, field + " is required"));
    }

    private static Item notAnObject(int index, int line, JsonToken t) {
        return new Item(index, line, null, Violation.of(Violation.WHOLE_ITEM, Reason.NOT_AN_OBJECT,
                "each label must be a JSON object, got " + describe(t)));
    }

    private static int flagOf(String name) {
        return switch (name) {
            case "id" -> F_ID;
            case "prompt" -> F_PROMPT;
            case "chosen" -> F_CHOSEN;
            case "rejected" -> F_REJECTED;
            case "labeller" -> F_LABELLER;
            case "source" -> F_SOURCE;
            case "confidence" -> F_CONFIDENCE;
            case "createdAt" -> F_CREATED_AT;
            case "metadata" -> F_METADATA;
            default -> 0;
        };
    }

    /** A String, null for JSON null (treated as absent), or a Violation. */
    private static Object readString(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) return p.getText();
        if (t == JsonToken.VALUE_NULL) return null;
        p.skipChildren();
        return wrongType(field, "a string", t);
    }

    private static Object readNumber(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) return p.getDoubleValue();
        if (t == JsonToken.VALUE_NULL) return null;
        p.skipChildren();
        return wrongType(field, "a number", t);
    }

    /** ISO-8601 text ({@code 2024-05-01T12:00:00Z}, offsets allowed) or epoch milliseconds. */
    private static Object readInstant(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return Violation.of(field, Reason.OUT_OF_RANGE, field + " is out of range for epoch milliseconds");
            }
            return Instant.ofEpochMilli(p.getLongValue());
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                return Violation.of(field, Reason.MALFORMED,
                        field + " must be ISO-8601 with an offset (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds");
            }
        }
        p.skipChildren();
        return wrongType(field, "an ISO-8601 string or epoch milliseconds", t);
    }

    private static Object readMetadata(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return wrongType("metadata", "an object of strings", t);
        }
        Map<String, String> map = new HashMap<>();
        Violation violation = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (violation != null) {
                p.skipChildren();
            } else if (v == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else {
                p.skipChildren();
                violation = wrongType("metadata." + key, "a string", v);
            }
        }
        return violation != null ? violation : map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object value) {
        return (Map<String, String>) value;
    }

    private static Violation wrongType(String field, String expected, JsonToken got) {
        return Violation.of(field, Reason.WRONG_TYPE, field + " must be " + expected + ", got " + describe(got));
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') return false;
        }
        return true;
    }

    /** A parse error at the parser's current location. */
    private static final class JsonProcessingExceptionAt extends JsonProcessingException {
        JsonProcessingExceptionAt(String message, JsonParser p) {
            super(message, p.currentLocation());
        }
    }
}
