package io.warmstream.ingest.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of answers that refuse the request as a whole (400 malformed body, 413 too large).
 *
 * @param error   stable code: {@code malformed_json}, {@code empty_body}, {@code empty_batch},
 *                {@code not_an_object_or_array}, {@code payload_too_large}
 * @param message human-readable explanation
 * @param line    1-based line of a syntax error, if known
 * @param column  1-based column of a syntax error, if known
 * @param limit   the size limit in bytes, for 413
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorReply(String error, String message, Long line, Long column, Long limit) {

    static ErrorReply of(MalformedBodyException e) {
        return new ErrorReply(e.error(), e.getMessage(), e.line() > 0 ? e.line() : null, e.column() > 0 ? e.column() : null, null);
    }
}
