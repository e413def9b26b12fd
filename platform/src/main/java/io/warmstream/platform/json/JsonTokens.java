package io.warmstream.platform.json;

import com.fasterxml.jackson.core.JsonToken;

/**
 * How the services' HTTP request readers name what they found where a field wanted something else ("must be a
 * string, got an array"), so every 4xx body words it alike.
 */
public final class JsonTokens {

    private JsonTokens() {
    }

    /** "an object", "an array", "a string", "a number", "a boolean", "null"; "nothing" at the end of the input. */
    public static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case FIELD_NAME -> "a field name";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
