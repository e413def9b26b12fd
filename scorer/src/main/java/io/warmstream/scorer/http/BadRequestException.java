package io.warmstream.scorer.http;

/**
 * A request body or parameter that cannot be scored; answered with its status (400, or 413 for a request over a
 * size limit) and its {@link ApiError}.
 */
public final class BadRequestException extends RuntimeException {

    private final transient ApiError error;
    private final int status;

    public BadRequestException(ApiError error) {
        this(error, 400);
    }

    public BadRequestException(ApiError error, int status) {
        super(error.message());
        this.error = error;
        this.status = status;
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }
}
