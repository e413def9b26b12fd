package io.warmstream.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of answers that refuse the request as a whole (400 unreadable or unknown field, 413 too large, 422 too deep).
 *
 * @param error   stable code: {@code malformed_json}, {@code empty_body}, {@code empty_batch},
 *                {@code not_an_object_or_array}, {@code unknown_field}, {@code payload_too_large},
 *                {@code too_many_items}, {@code too_many_tokens}, {@code too_deep}
 * @param message human-readable explanation
 * @param field   the field to blame: the unknown field's name, {@code $} for the body as a whole
 * @param index   0-based item holding the unknown field
 * @param line    1-based line of the problem, if known
 * @param column  1-based column of the problem, if known
 * @param limit   the limit that was reached (bytes for 413 payload_too_large, else items, tokens or depth)
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorReply(String error, String message, String field, Integer index, Long line, Long column, Long limit) {

    /** Longest client-supplied text (a field name) echoed in a reply, so a reply stays small whatever was sent. */
    static final int MAX_ECHO = 200;

    static ErrorReply of(BodyRefusedException e) {
        return new ErrorReply(e.error(), e.getMessage(), e.field(), e.index(), e.line() > 0 ? e.line() : null,
                e.column() > 0 ? e.column() : null, e.limit());
    }

    static String clip(String s) {
        return clip(s, MAX_ECHO);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
