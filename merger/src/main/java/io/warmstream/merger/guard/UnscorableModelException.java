package io.warmstream.merger.guard;

import java.nio.file.Path;

/** A model the guard must score (the new member, or the candidate average) does not load or evaluate. */
public final class UnscorableModelException extends RuntimeException {

    private final Path dir;

    public UnscorableModelException(Path dir, Throwable cause) {
        super("cannot score the model at " + dir + " on held-out labels: " + cause, cause);
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }
}
