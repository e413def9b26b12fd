package io.warmstream.scorer.serving;

/** No version has been loaded yet (the scorer answers 503 until one is). */
public final class NoModelException extends RuntimeException {

    public NoModelException(String message) {
        super(message);
    }
}
