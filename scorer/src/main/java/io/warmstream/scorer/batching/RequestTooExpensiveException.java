package io.warmstream.scorer.batching;

/**
 * The request costs more padded tokens than the whole budget, so it could never be admitted (HTTP 413): send fewer
 * or shorter items, or fewer in ENS mode, where every item costs one pass per member.
 */
public final class RequestTooExpensiveException extends RuntimeException {

    private final long cost;
    private final int budget;

    public RequestTooExpensiveException(int items, int paddedLength, int members, long cost, int budget) {
        super(items + " items padded to " + paddedLength + " tokens" + (members > 1 ? " x " + members + " members" : "")
                + " cost " + cost + " tokens, more than the scorer admits at once (" + budget
                + ", warm.scorer.batching.token-budget); split the request");
        this.cost = cost;
        this.budget = budget;
    }

    public long cost() {
        return cost;
    }

    public int budget() {
        return budget;
    }
}
