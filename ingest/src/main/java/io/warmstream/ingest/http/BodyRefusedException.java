package io.warmstream.ingest.http;

/**
 * The request body as a whole is refused: it cannot be read (400), breaks a request limit (413, 422), or names a
 * field ingest does not know (400). Nothing in it was accepted. Carries what {@link ErrorReply} reports.
 */
public final class BodyRefusedException extends Exception {

    private final int status;
    private final String error;
    private final String field;
    private final Integer index;
    private final Long limit;
    private final long line;
    private final long column;

    private BodyRefusedException(int status, String error, String message, String field, Integer index, Long limit,
                                 long line, long column) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
        this.index = index;
        this.limit = limit;
        this.line = line;
        this.column = column;
    }

    /** 400: unreadable body ({@code malformed_json}, {@code empty_body}, {@code empty_batch}, {@code not_an_object_or_array}). */
    public static BodyRefusedException malformed(String error, String message, long line, long column) {
        return new BodyRefusedException(400, error, message, null, null, null, line, column);
    }

    /** 413 or 422: a request limit ({@link RequestLimits}) was reached while reading. */
    public static BodyRefusedException limit(int status, String error, String message, String field, long limit,
                                             long line, long column) {
        return new BodyRefusedException(status, error, message, field, null, limit, line, column);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }

    public Integer index() {
        return index;
    }

    public Long limit() {
        return limit;
    }

    /** 1-based line of the problem, or -1 if unknown. */
    public long line() {
        return line;
    }

    /** 1-based column of the problem, or -1 if unknown. */
    public long column() {
        return column;
    }
}
