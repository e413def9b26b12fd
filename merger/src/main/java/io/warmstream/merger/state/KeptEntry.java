package io.warmstream.merger.state;

import java.time.Instant;

/**
 * A published version whose model directory the merger keeps in the store. A rollback version shares the directory
 * ({@code uri}) of the version it republishes.
 *
 * @param supersededAt when it stopped being both the newest and the served version; null while it is either
 * @param quality      the held-out figures it was published with, withheld or not
 */
public record KeptEntry(long version, String uri, String sha256, int memberCount, Double validationAccuracy,
                        Long rollbackOf, Instant publishedAt, Instant supersededAt, QualityFigures quality,
                        int generation) {

    public KeptEntry {
        quality = quality == null ? QualityFigures.NONE : quality;
    }

    /** A version of generation 0. */
    public KeptEntry(long version, String uri, String sha256, int memberCount, Double validationAccuracy,
                     Long rollbackOf, Instant publishedAt, Instant supersededAt, QualityFigures quality) {
        this(version, uri, sha256, memberCount, validationAccuracy, rollbackOf, publishedAt, supersededAt, quality, 0);
    }

    public KeptEntry supersededAt(Instant when) {
        return new KeptEntry(version, uri, sha256, memberCount, validationAccuracy, rollbackOf, publishedAt, when,
                quality, generation);
    }
}
