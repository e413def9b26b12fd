package io.warmstream.scorer.batching;

/** The request queue cannot take the items now (HTTP 429); retry later. */
public final class QueueFullException extends RuntimeException {

    private final int capacity;

    public QueueFullException(int requested, int capacity) {
        super("the scoring queue is full (" + capacity + " items waiting or in flight); " + requested
                + " more items cannot be taken now, retry later");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
