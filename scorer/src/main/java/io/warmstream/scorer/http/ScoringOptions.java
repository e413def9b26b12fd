package io.warmstream.scorer.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.warmstream.scorer.serving.ScoreMode;

import java.io.IOException;

/**
 * The optional body fields every scoring request may carry besides its items:
 * {@code "version"} (a number, or {@code "latest"}: the serving one), {@code "mode"} ({@code "warm"} or
 * {@code "ens"}), {@code "normalize"} (rewards as {@code (raw - mean) / std} on the version's reference scale),
 * {@code "uncertainty"} (the members' spread and a conservative reward) and {@code "lambda"} (its weight).
 * Null fields were not sent.
 */
public record ScoringOptions(Long version, ScoreMode mode, Boolean normalize, Boolean uncertainty, Double lambda) {

    public static final ScoringOptions NONE = new ScoringOptions(null, null, null, null, null);

    /** The names {@link Builder#read} accepts, for "unknown field" messages. */
    public static final String FIELDS = "version, mode, normalize, uncertainty, lambda";

    /** Collects the fields while a body is parsed. */
    static final class Builder {
        private Long version;
        private ScoreMode mode;
        private Boolean normalize;
        private Boolean uncertainty;
        private Double lambda;

        /** Reads the value of field {@code name} if it is an option (the parser is on the value); false otherwise. */
        boolean read(String name, JsonParser p) throws IOException {
            switch (name) {
                case "version" -> version = version(p);
                case "mode" -> mode = mode(p);
                case "normalize" -> normalize = bool(p, name);
                case "uncertainty" -> uncertainty = bool(p, name);
                case "lambda" -> lambda = number(p, name);
                default -> {
                    return false;
                }
            }
            return true;
        }

        ScoringOptions build() {
            return new ScoringOptions(version, mode, normalize, uncertainty, lambda);
        }
    }

    /** Whether the request asked for ENS by name. */
    public boolean wantsEns() {
        return mode == ScoreMode.ENS;
    }

    public boolean wantsNormalized() {
        return Boolean.TRUE.equals(normalize);
    }

    public boolean wantsUncertainty() {
        return Boolean.TRUE.equals(uncertainty) || lambda != null;
    }

    private static Long version(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING && p.getText().trim().equalsIgnoreCase("latest")) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 1) {
            return p.getLongValue();
        }
        throw bad("version", "version must be a version number >= 1 or \"latest\", got " + shown(p));
    }

    private static ScoreMode mode(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new BadRequestException(ApiError.field("wrong_type", "mode", "mode must be \"warm\" or \"ens\", got " + shown(p)));
        }
        try {
            return ScoreMode.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw bad("mode", e.getMessage());
        }
    }

    private static Boolean bool(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw new BadRequestException(ApiError.field("wrong_type", field, field + " must be true or false, got " + shown(p)));
    }

    private static Double number(JsonParser p, String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        throw new BadRequestException(ApiError.field("wrong_type", field, field + " must be a number, got " + shown(p)));
    }

    private static String shown(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "\"" + (p.getText().length() > 40 ? p.getText().substring(0, 40) + "..." : p.getText()) + "\"";
            default -> p.getText();
        };
    }

    private static BadRequestException bad(String field, String message) {
        return new BadRequestException(ApiError.field("bad_value", field, message));
    }
}
