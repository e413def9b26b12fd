package io.warmstream.merger.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;
import io.warmstream.merger.state.QualityFigures;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/merger/versions}: the versions kept in the store (rollback targets), newest first, each with its
 * held-out accuracy and standard error and, where the quality gate compared it with the version served at the time,
 * the paired difference and its standard error: whether version N+1 is better than N, and by how much beyond noise.
 * {@code current} is the newest version, {@code served} the one scorers serve.
 */
@Serdeable
public record VersionsView(String average, long current, long served, List<VersionView> versions) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(long version, String uri, String sha256, int memberCount, Double validationAccuracy,
                              Double accuracyStandardError, boolean withheld, Long comparedWithVersion,
                              Double comparedWithAccuracy, Double pairedDifference, Double pairedStandardError,
                              Long rollbackOf, Instant publishedAt, Instant supersededAt, boolean current,
                              boolean served, int generation) {
    }

    static VersionsView of(AverageState s) {
        return new VersionsView(s.average(), s.version(), s.servedVersion(), s.kept().stream()
                .sorted((a, b) -> Long.compare(b.version(), a.version()))
                .map(k -> view(k, k.version() == s.version(), k.version() == s.servedVersion())).toList());
    }

    private static VersionView view(KeptEntry k, boolean current, boolean served) {
        QualityFigures q = k.quality();
        return new VersionView(k.version(), k.uri(), k.sha256(), k.memberCount(), StateView.finite(k.validationAccuracy()),
                StateView.finite(q.accuracyStandardError()), q.withheld(), q.comparedWith(),
                StateView.finite(q.comparedWithAccuracy()), StateView.finite(q.pairedDifference()),
                StateView.finite(q.pairedStandardError()), k.rollbackOf(), k.publishedAt(), k.supersededAt(), current,
                served, k.generation());
    }
}
