package io.warmstream.merger.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON body every admin POST requires ({@code {}} at least): a cross-site form or other simple request cannot
 * send {@code application/json}, so no page the operator opens can fire an admin action. {@code reason} goes to the
 * audit record.
 */
@Serdeable
public record AdminRequest(@Nullable String reason) {
}
