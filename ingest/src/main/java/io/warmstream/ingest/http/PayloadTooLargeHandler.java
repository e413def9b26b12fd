package io.warmstream.ingest.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.warmstream.ingest.IngestConfig;
import jakarta.inject.Singleton;

/** 413 with our JSON error body (instead of Micronaut's generic one) when a body exceeds max-request-size. */
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(property = IngestConfig.ENABLED, value = "true")
public final class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException, HttpResponse<ErrorReply>> {

    private final long limit;

    public PayloadTooLargeHandler(HttpServerConfiguration server) {
        this.limit = server.getMaxRequestSize();
    }

    @Override
    public HttpResponse<ErrorReply> handle(HttpRequest request, ContentLengthExceededException e) {
        return HttpResponse.<ErrorReply>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(new ErrorReply("payload_too_large",
                "the request body is larger than " + limit + " bytes (micronaut.server.max-request-size); send smaller batches",
                "$", null, null, null, limit));
    }
}
