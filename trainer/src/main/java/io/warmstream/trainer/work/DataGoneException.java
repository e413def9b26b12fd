package io.warmstream.trainer.work;

/** A job's labels can no longer be read: retention deleted them, or the range lies beyond the log. */
public final class DataGoneException extends Exception {

    public DataGoneException(String message) {
        super(message);
    }
}
