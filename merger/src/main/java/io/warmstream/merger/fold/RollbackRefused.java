package io.warmstream.merger.fold;

/** A rollback that cannot be done; {@link #kind()} decides the HTTP status. */
public final class RollbackRefused extends RuntimeException {

    public enum Kind {
        /** No kept version has that number (never published, or deleted by retention). 404. */
        UNKNOWN_VERSION,
        /** That version is the current one. 409. */
        ALREADY_CURRENT,
        /** This merger does not own the average right now (standby, starting). 409. */
        NOT_ACTIVE,
        /** The version's directory fails its signature or its files' hashes (altered in the store). 409. */
        INVALID_VERSION
    }

    private final Kind kind;
    private final long version;

    public RollbackRefused(Kind kind, long version, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.version = version;
    }

    public Kind kind() {
        return kind;
    }

    public long version() {
        return version;
    }
}
