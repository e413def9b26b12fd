package io.warmstream.ingest.rules;

import java.util.Locale;

/**
 * Why a label was refused. The lower-case {@link #code()} is the stable string clients and dead-letter readers
 * match on; the accompanying detail text is for humans and may change.
 */
public enum Reason {
    /** A required field is absent or null. */
    MISSING,
    /** A text field is empty or only whitespace. */
    BLANK,
    /** A text field is longer than its configured limit (counted in Unicode code points). */
    TOO_LONG,
    /** The map has more entries than allowed. */
    TOO_MANY_ENTRIES,
    /** The value does not have the required shape (id pattern, timestamp format). */
    MALFORMED,
    /** A number is outside its allowed range. */
    OUT_OF_RANGE,
    /** chosen and rejected are the same text, so the pair carries no preference. */
    SAME_AS_CHOSEN,
    /** The JSON value has the wrong type (for example a number where a string is required). */
    WRONG_TYPE,
    /** The bytes of this value are not valid UTF-8. */
    INVALID_UTF8,
    /** The text holds an unpaired UTF-16 surrogate, which has no UTF-8 encoding. */
    INVALID_UNICODE,
    /** The same field appears twice in one JSON object. */
    DUPLICATE_FIELD,
    /** A label object holds a field that is not part of a label (often a misspelt optional field). */
    UNKNOWN_FIELD,
    /** A batch element is not a JSON object. */
    NOT_AN_OBJECT,
    /** An NDJSON line is not well-formed JSON. */
    MALFORMED_JSON,
    /** Bytes on the raw topic that do not decode as a PreferenceLabel. */
    UNDECODABLE;

    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }
}
