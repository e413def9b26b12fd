package io.warmstream.ingest.rules;

import io.warmstream.events.PreferenceLabel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule set for preference labels, applied both to HTTP items and to records on the raw topic, so a label
 * is judged the same whichever way it came in. Checks run in a fixed order and the first failure is reported.
 * <p>
 * Text is kept exactly as sent: "blank" and "same as chosen" are judged after trimming, but nothing is rewritten.
 * <p>
 * {@code createdAt} must lie between 1970-01-01T00:00:00Z and the checking clock plus {@code createdAtMaxFuture}
 * (clock skew between client and server). A far-future time is the sender's error, not an outage: it used to reach
 * the Avro encoder (epoch milliseconds overflow) and come back as "not written", which told clients to resend it
 * for ever.
 */
public final class LabelRules {

    /** Default allowance for clocks ahead of ours. */
    public static final Duration DEFAULT_CREATED_AT_MAX_FUTURE = Duration.ofMinutes(5);
    private static final Instant EARLIEST_CREATED_AT = Instant.EPOCH;

    private final LabelLimits limits;
    private final Duration createdAtMaxFuture;
    private final Clock clock;

    public LabelRules(LabelLimits limits) {
        this(limits, DEFAULT_CREATED_AT_MAX_FUTURE, Clock.systemUTC());
    }

    public LabelRules(LabelLimits limits, Duration createdAtMaxFuture, Clock clock) {
        if (createdAtMaxFuture.isNegative()) {
            throw new IllegalArgumentException("createdAt max future must be >= 0, got " + createdAtMaxFuture);
        }
        this.limits = limits;
        this.createdAtMaxFuture = createdAtMaxFuture;
        this.clock = clock;
    }

    public static LabelRules defaults() {
        return new LabelRules(LabelLimits.defaults());
    }

    public LabelLimits limits() {
        return limits;
    }

    /** The first rule {@code label} breaks, or empty if it is a valid label. */
    public Optional<Violation> check(PreferenceLabel label) {
        Violation v = checkId(label.getId());
        if (v == null) v = checkText("prompt", label.getPrompt(), limits.promptChars());
        if (v == null) v = checkText("chosen", label.getChosen(), limits.responseChars());
        if (v == null) v = checkText("rejected", label.getRejected(), limits.responseChars());
        if (v == null && label.getChosen().strip().equals(label.getRejected().strip())) {
            v = Violation.of("rejected", Reason.SAME_AS_CHOSEN, "rejected is the same text as chosen");
        }
        if (v == null) v = checkText("labeller", label.getLabeller(), limits.nameChars());
        if (v == null) v = checkText("source", label.getSource(), limits.nameChars());
        if (v == null) v = checkConfidence(label.getConfidence());
        if (v == null) v = checkCreatedAt(label.getCreatedAt());
        if (v == null) v = checkMetadata(label.getMetadata());
        return Optional.ofNullable(v);
    }

    /** True for 1..{@code maxChars} characters out of {@code [A-Za-z0-9._:-]}. */
    public static boolean isWellFormedId(String id, int maxChars) {
        int n = id.length();
        if (n == 0 || n > maxChars) return false;
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    private Violation checkId(String id) {
        if (id == null) return Violation.of("id", Reason.MISSING, "id is required");
        if (id.length() > limits.idChars()) {
            return Violation.of("id", Reason.TOO_LONG, "id is " + id.length() + " characters; the limit is " + limits.idChars());
        }
        if (!isWellFormedId(id, limits.idChars())) {
            return Violation.of("id", Reason.MALFORMED, "id must be 1.." + limits.idChars() + " characters of [A-Za-z0-9._:-]");
        }
        return null;
    }

    private static Violation checkText(String field, String text, int maxChars) {
        if (text == null) return Violation.of(field, Reason.MISSING, field + " is required");
        Violation tooLong = checkLength(field, text, maxChars);
        if (tooLong != null) return tooLong;
        if (text.isBlank()) return Violation.of(field, Reason.BLANK, field + " must not be blank");
        return checkUnicode(field, text);
    }

    private static Violation checkLength(String field, String text, int maxChars) {
        // length() is an upper bound of the code point count, so the exact count is only needed near the limit.
        if (text.length() <= maxChars) return null;
        int codePoints = text.codePointCount(0, text.length());
        if (codePoints <= maxChars) return null;
        return Violation.of(field, Reason.TOO_LONG, field + " is " + codePoints + " characters; the limit is " + maxChars);
    }

    /** Lone surrogates (possible through JSON escapes) cannot be written as UTF-8 and would turn into '?' silently. */
    private static Violation checkUnicode(String field, String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return Violation.of(field, Reason.INVALID_UNICODE, field + " has an unpaired surrogate at index " + i);
                }
            }
        }
        return null;
    }

    private Violation checkCreatedAt(Instant createdAt) {
        if (createdAt == null) return Violation.of("createdAt", Reason.MISSING, "createdAt is required");
        if (createdAt.isBefore(EARLIEST_CREATED_AT)) {
            return Violation.of("createdAt", Reason.OUT_OF_RANGE, "createdAt " + createdAt + " is before " + EARLIEST_CREATED_AT);
        }
        Instant latest = clock.instant().plus(createdAtMaxFuture);
        if (createdAt.isAfter(latest)) {
            return Violation.of("createdAt", Reason.OUT_OF_RANGE, "createdAt " + createdAt + " is in the future: more than "
                    + createdAtMaxFuture + " after the server's clock (" + latest.minus(createdAtMaxFuture) + ")");
        }
        return null;
    }

    private static Violation checkConfidence(Double confidence) {
        if (confidence == null) return null;
        double c = confidence;
        if (!(c >= 0.0 && c <= 1.0)) { // also refuses NaN
            return Violation.of("confidence", Reason.OUT_OF_RANGE, "confidence must be in [0, 1], got " + c);
        }
        return null;
    }

    private Violation checkMetadata(Map<String, String> metadata) {
        if (metadata == null) return null;
        if (metadata.size() > limits.metadataEntries()) {
            return Violation.of("metadata", Reason.TOO_MANY_ENTRIES,
                    "metadata has " + metadata.size() + " entries; the limit is " + limits.metadataEntries());
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            String field = "metadata." + key;
            Violation v = checkLength("metadata key", key, limits.metadataChars());
            if (v == null) v = checkUnicode("metadata key", key);
            if (v != null) return Violation.of("metadata", v.reason(), v.detail());
            if (e.getValue() == null) return Violation.of(field, Reason.MISSING, field + " must be a string, not null");
            v = checkLength(field, e.getValue(), limits.metadataChars());
            if (v == null) v = checkUnicode(field, e.getValue());
            if (v != null) return v;
        }
        return null;
    }
}
