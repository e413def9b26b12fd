package io.warmstream.scorer.topology;

/** Scoring could not happen now for a transient reason; the stream retries the record instead of answering an error. */
public final class RetriableScoringException extends RuntimeException {

    public RetriableScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
