package io.warmstream.trainer.work;

/** Asks a run to stop at its next check (between steps, between phases). */
public final class CancelToken {

    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean cancelled() {
        return cancelled;
    }
}
