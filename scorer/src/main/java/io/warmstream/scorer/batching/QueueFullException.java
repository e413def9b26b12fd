package io.warmstream.scorer.batching;

/** The token budget cannot take this request now (HTTP 429 with Retry-After); retry later. */
public final class QueueFullException extends RuntimeException {

    private final long cost;
    private final int budget;

    public QueueFullException(int items, long cost, int budget) {
        super("the scorer is busy: " + items + " items (" + cost + " padded tokens) do not fit the " + budget
                + " tokens it admits at once (warm.scorer.batching.token-budget); retry later");
        this.cost = cost;
        this.budget = budget;
    }

    /** The request's padded tokens. */
    public long cost() {
        return cost;
    }

    /** Tokens admitted at once. */
    public int budget() {
        return budget;
    }
}
