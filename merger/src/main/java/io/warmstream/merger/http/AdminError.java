package io.warmstream.merger.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Body of every refused admin request.
 *
 * @param error   stable code: {@code bad_version}, {@code unknown_version}, {@code already_current},
 *                {@code not_active}, {@code timeout}, {@code failed}
 * @param message human-readable explanation
 * @param version the version the request named, when it named one
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdminError(String error, String message, Long version) {
}
