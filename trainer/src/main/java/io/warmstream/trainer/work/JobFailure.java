package io.warmstream.trainer.work;

/** Ends a run as FAILED with {@link #getMessage()} as the reason. */
final class JobFailure extends RuntimeException {

    JobFailure(String reason) {
        super(reason);
    }

    JobFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
