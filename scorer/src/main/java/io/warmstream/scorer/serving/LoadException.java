package io.warmstream.scorer.serving;

/** A model that cannot be served; {@link #stage()} is fetch, verify or load (see {@link LoadFailure}). */
public final class LoadException extends Exception {

    private final String stage;

    public LoadException(String stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    public LoadException(String stage, String message) {
        this(stage, message, null);
    }

    public String stage() {
        return stage;
    }
}
