package io.warmstream.scorer.serving;

import java.util.List;

/**
 * A request pinned a version this scorer does not hold loaded: {@code gone} when it is older than the serving one
 * (retired and evicted, or never loaded here), else not loaded yet. Carries the versions that can answer now.
 */
public final class VersionNotLoadedException extends RuntimeException {

    private final long requested;
    private final boolean gone;
    private final List<Long> available;

    public VersionNotLoadedException(long requested, boolean gone, List<Long> available) {
        super("version " + requested + (gone ? " is no longer loaded on this scorer" : " is not loaded on this scorer (yet)")
                + "; loaded versions: " + available + " (or send \"version\": \"latest\")");
        this.requested = requested;
        this.gone = gone;
        this.available = List.copyOf(available);
    }

    public long requested() {
        return requested;
    }

    public boolean gone() {
        return gone;
    }

    public List<Long> available() {
        return available;
    }
}
