package io.warmstream.local.feed;

import java.util.concurrent.TimeUnit;

/**
 * The daemon thread a feed runs its loop on, with the pause between rounds that {@link #close()} cuts short: the
 * start, pause and stop code the feeds shared. The loop is not interrupted, so a request in flight still finishes
 * (and, for the simulator feed, its acknowledgement is saved) before the thread ends.
 */
final class FeedThread implements AutoCloseable {

    private static final long JOIN_MILLIS = 30_000;

    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean stopping;

    /** @param loop runs until {@link #stopping()} or until {@link #pause} says to end */
    FeedThread(String name, Runnable loop) {
        this.thread = new Thread(loop, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean stopping() {
        return stopping;
    }

    /** Waits {@code nanos} or until {@link #close()}; false when the loop should end (closing or interrupted). */
    boolean pause(long nanos) {
        synchronized (pause) {
            if (stopping) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(pause, nanos);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Asks the loop to stop after the round in flight and waits up to 30 s for it. */
    @Override
    public void close() {
        synchronized (pause) {
            stopping = true;
            pause.notifyAll();
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
