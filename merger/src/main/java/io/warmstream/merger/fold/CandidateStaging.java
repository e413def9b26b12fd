package io.warmstream.merger.fold;

import java.nio.file.Path;

/**
 * Told of each candidate average after its fold and before its held-out checks, so a scorer can load it while the
 * checks run (the checks decide whether it is published; staging decides nothing). Must return at once and never
 * throw: a candidate that could not be staged is simply loaded after its publication, as without staging.
 */
@FunctionalInterface
public interface CandidateStaging {

    CandidateStaging NONE = (average, version, generation, dir, sha256) -> { };

    /**
     * @param dir    the candidate's directory; deleted after the checks, so an implementation takes what it needs
     *               before returning
     * @param sha256 its weights' SHA-256, as its manifest records it
     */
    void stage(String average, long version, int generation, Path dir, String sha256);
}
