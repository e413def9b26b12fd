package io.warmstream.model.weights;

/** A model file or directory that is missing, truncated, altered or malformed. The message names the file and the fault. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
