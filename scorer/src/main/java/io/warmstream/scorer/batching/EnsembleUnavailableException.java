package io.warmstream.scorer.batching;

/** ENS mode was asked for but the serving version's members are not loaded (disabled, loading or failed). */
public final class EnsembleUnavailableException extends RuntimeException {

    private final String state;

    public EnsembleUnavailableException(long version, String state, String detail) {
        super("ENS is " + state + " for version " + version + (detail == null ? "" : ": " + detail));
        this.state = state;
    }

    public String state() {
        return state;
    }
}
