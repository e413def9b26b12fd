package io.warmstream.scorer.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every error answer.
 *
 * @param error   stable code: malformed_json, empty_body, wrong_type, missing_field, empty_batch, too_many_items,
 *                text_too_long, unknown_field, bad_parameter, payload_too_large, request_too_expensive, queue_full,
 *                deadline_exceeded, no_model, ensemble_unavailable, unknown_version, version_gone, version_invalid,
 *                scoring_failed
 * @param message what went wrong, for people
 * @param field   the offending field as a JSON path ({@code items[3].response}), when one is to blame
 * @param limit   the limit that was exceeded, for limit errors (items, characters, padded tokens, deadline ms)
 * @param line    1-based line of a JSON syntax error
 * @param column  1-based column of a JSON syntax error
 * @param cost    the request's padded tokens, for token budget errors
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Error", description = "Error answer: a stable code, a message and, when one is to blame, the field.")
public record ApiError(String error, String message, String field, Long limit, Long line, Long column, Long cost) {

    public ApiError(String error, String message, String field, Long limit, Long line, Long column) {
        this(error, message, field, limit, line, column, null);
    }

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, null, null, null, null, null);
    }

    public static ApiError field(String error, String field, String message) {
        return new ApiError(error, message, field, null, null, null, null);
    }
}
