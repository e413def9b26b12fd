package io.warmstream.merger.store;

/**
 * Where the merger puts averages in the checkpoint store: {@code averages/<average>/v<version>}, one directory per
 * published version. The key of a version is deterministic, so a merger that crashes after writing a version and
 * before publishing it simply overwrites the same key when it redoes the fold. (Trainers put members under their
 * own keys, e.g. {@code checkpoints/<average>/<jobId>}; the merger only reads those.)
 */
public final class StoreLayout {

    private StoreLayout() {
    }

    public static String versionKey(String average, long version) {
        return "averages/" + average + "/v" + version;
    }

    /**
     * Where the candidate for {@code version} is staged while the merger checks it, for scorers to load ahead
     * ({@code averages/<average>/candidates/v<version>}); only the newest is kept.
     */
    public static String candidateKey(String average, long version) {
        return "averages/" + average + "/candidates/v" + version;
    }
}
