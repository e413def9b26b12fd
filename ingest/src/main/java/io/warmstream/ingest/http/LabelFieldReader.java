package io.warmstream.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import io.warmstream.platform.json.JsonTokens;
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
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Reads one label object field by field. Wrong types, duplicates and invalid UTF-8 become the item's violation;
 * an unknown field refuses the item (reason {@code unknown_field}), so a misspelt optional field
 * ({@code "confidance"}) is never dropped in silence while the other items of the batch still go through. Absent optional fields get defaults here: a random UUID id,
 * the configured labeller and source, and the current time.
 */
final class LabelFieldReader {

    private static final int F_ID = 1, F_PROMPT = 2, F_CHOSEN = 4, F_REJECTED = 8, F_LABELLER = 16, F_SOURCE = 32,
            F_CONFIDENCE = 64, F_CREATED_AT = 128, F_METADATA = 256;

    private final String defaultLabeller;
    private final String defaultSource;
    private final int maxMetadataEntries;
    private final Clock clock;

    LabelFieldReader(String defaultLabeller, String defaultSource, int maxMetadataEntries, Clock clock) {
        this.defaultLabeller = defaultLabeller;
        this.defaultSource = defaultSource;
        this.maxMetadataEntries = maxMetadataEntries;
        this.clock = clock;
    }

    /** Reads one object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    LabelBodyReader.Item readItem(JsonParser p, int index, int line, Utf8Repair.Result text)
            throws IOException, BodyRefusedException {
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
            int flag = flagOf(name);
            if (flag == 0) { // refuses this item only: the good items around it still go through
                if (violation == null) {
                    violation = Violation.of(ErrorReply.clip(name), Reason.UNKNOWN_FIELD,
                            "unknown field \"" + ErrorReply.clip(name) + "\"; the fields are id, prompt, chosen, rejected,"
                                    + " labeller, source, confidence, createdAt, metadata");
                }
                p.nextToken();
                p.skipChildren();
                continue;
            }
            p.nextToken();
            if ((seen & flag) != 0 && violation == null) {
                violation = Violation.of(name, Reason.DUPLICATE_FIELD, name + " appears more than once");
            }
            seen |= flag;
            if (violation != null) { // keep reading to find the object's end (and unknown fields), ignore the values
                p.skipChildren();
                continue;
            }
            long valueStart = p.currentTokenLocation().getByteOffset();
            Object value = switch (flag) {
                case F_CONFIDENCE -> readNumber(p, name);
                case F_CREATED_AT -> readInstant(p, name);
                case F_METADATA -> readMetadata(p);
                default -> readString(p, name);
            };
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
        if (violation != null) return new LabelBodyReader.Item(index, line, null, violation);

        // Absent optional fields get defaults; absent required fields are left null for the rules to name.
        if (id == null) id = UUID.randomUUID().toString();
        if (labeller == null || labeller.isBlank()) labeller = defaultLabeller;
        if (source == null || source.isBlank()) source = defaultSource;
        if (createdAt == null) createdAt = clock.instant();
        if (prompt == null) return missing(index, line, "prompt");
        if (chosen == null) return missing(index, line, "chosen");
        if (rejected == null) return missing(index, line, "rejected");
        return new LabelBodyReader.Item(index, line,
                new PreferenceLabel(id, prompt, chosen, rejected, labeller, source, confidence, createdAt, metadata), null);
    }

    private static LabelBodyReader.Item missing(int index, int line, String field) {
        return new LabelBodyReader.Item(index, line, null, Violation.of(field, Reason.MISSING, field + " is required"));
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

    /** ISO-8601 text ({@code 2024-05-01T12:00:00Z}, offsets allowed) or epoch milliseconds; the rules judge its range. */
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
            try {
                return OffsetDateTime.parse(p.getText()).toInstant();
            } catch (DateTimeParseException e) {
                return Violation.of(field, Reason.MALFORMED,
                        field + " must be ISO-8601 with an offset (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds");
            }
        }
        p.skipChildren();
        return wrongType(field, "an ISO-8601 string or epoch milliseconds", t);
    }

    /** Stops keeping entries past the limit, so a million-entry map is counted, not built. */
    private Object readMetadata(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return wrongType("metadata", "an object of strings", t);
        }
        Map<String, String> map = new HashMap<>();
        Violation violation = null;
        int entries = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            entries++;
            if (violation != null) {
                p.skipChildren();
            } else if (entries > maxMetadataEntries) {
                p.skipChildren();
                violation = Violation.of("metadata", Reason.TOO_MANY_ENTRIES,
                        "metadata has more than " + maxMetadataEntries + " entries (the limit)");
            } else if (v == JsonToken.VALUE_STRING) {
                map.put(key, p.getText());
            } else {
                p.skipChildren();
                violation = wrongType("metadata." + ErrorReply.clip(key), "a string", v);
            }
        }
        return violation != null ? violation : map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object value) {
        return (Map<String, String>) value;
    }

    private static Violation wrongType(String field, String expected, JsonToken got) {
        return Violation.of(field, Reason.WRONG_TYPE, field + " must be " + expected + ", got " + JsonTokens.describe(got));
    }


    /** A parse error at the parser's current location. */
    private static final class JsonProcessingExceptionAt extends JsonProcessingException {
        JsonProcessingExceptionAt(String message, JsonParser p) {
            super(message, p.currentLocation());
        }
    }
}
