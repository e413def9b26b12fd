package io.warmstream.scorer.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.warmstream.scorer.ScorerConfig;
import jakarta.inject.Singleton;

/** 413 with the scorer's JSON error body when a body exceeds {@code micronaut.server.max-request-size}. */
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<ApiError>> {

    private final long limit;

    public PayloadTooLargeHandler(HttpServerConfiguration server) {
        this.limit = server.getMaxRequestSize();
    }

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ContentLengthExceededException e) {
        return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(new ApiError("payload_too_large",
                "the request body is larger than " + limit + " bytes (micronaut.server.max-request-size); send smaller batches",
                null, limit, null, null));
    }
}
