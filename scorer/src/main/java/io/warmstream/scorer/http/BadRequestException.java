package io.warmstream.scorer.http;

/** A request body or parameter that cannot be scored; answered with 400 and its {@link ApiError}. */
public final class BadRequestException extends RuntimeException {

    private final transient ApiError error;

    public BadRequestException(ApiError error) {
        super(error.message());
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
