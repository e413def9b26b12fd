package io.warmstream.model.store;

import io.warmstream.model.weights.ModelFormatException;

import java.nio.file.Path;

/**
 * A model directory whose signature does not verify: unsigned while signing is on, signed with a key this service
 * does not accept, or a signed file (the manifest, and through it every file hash) altered after signing. The
 * message starts with the file at fault. A {@link ModelFormatException}, so every reader that refuses a damaged
 * directory refuses a forged one too.
 */
public final class ModelSignatureException extends ModelFormatException {

    private final transient Path file;

    public ModelSignatureException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The file at fault: the manifest when the signature fails, a signed file altered after signing, an unsigned one. */
    public Path file() {
        return file;
    }
}
