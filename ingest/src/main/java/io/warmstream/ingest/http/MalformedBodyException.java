package io.warmstream.ingest.http;

/** The request body as a whole cannot be read; nothing in it was accepted. Carries where the problem is. */
public final class MalformedBodyException extends Exception {

    private final String error;
    private final long line;
    private final long column;

    public MalformedBodyException(String error, String message, long line, long column) {
        super(message, null, false, false);
        this.error = error;
        this.line = line;
        this.column = column;
    }

    /** Stable error code: {@code malformed_json}, {@code empty_body}, {@code not_an_object_or_array}. */
    public String error() {
        return error;
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
