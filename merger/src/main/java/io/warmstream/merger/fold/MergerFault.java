package io.warmstream.merger.fold;

/**
 * A failure on the merger's side, not the checkpoint's: the store cannot be read or written, the current average is
 * damaged. The checkpoint is neither folded nor rejected; the merger retries it after a pause and reports the fault
 * on its health endpoint until it clears.
 */
public final class MergerFault extends RuntimeException {

    public MergerFault(String message, Throwable cause) {
        super(message, cause);
    }
}
