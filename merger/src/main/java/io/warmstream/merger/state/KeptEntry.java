package io.warmstream.merger.state;

import java.time.Instant;

/**
 * A published version whose model directory the merger keeps in the store. A rollback version shares the directory
 * ({@code uri}) of the version it republishes.
 *
 * @param supersededAt when a newer version replaced it as current; null for the current version
 */
public record KeptEntry(long version, String uri, String sha256, int memberCount, Double validationAccuracy,
                        Long rollbackOf, Instant publishedAt, Instant supersededAt) {

    public KeptEntry supersededAt(Instant when) {
        return new KeptEntry(version, uri, sha256, memberCount, validationAccuracy, rollbackOf, publishedAt, when);
    }
}
