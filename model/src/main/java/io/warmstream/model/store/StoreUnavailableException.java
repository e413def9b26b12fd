package io.warmstream.model.store;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The checkpoint store itself cannot be reached, read or written right now (volume unmounted or unreadable, object
 * store down): a reason to wait and retry, never a verdict on the model asked for. A model that is simply absent
 * from a reachable store is a {@link java.nio.file.NoSuchFileException} instead.
 */
public final class StoreUnavailableException extends UncheckedIOException {

    public StoreUnavailableException(String message, IOException cause) {
        super(message, cause);
    }

    /** Whether {@code t} or one of its causes says the store could not be reached. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof StoreUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
