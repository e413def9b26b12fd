package io.warmstream.merger.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.KeptEntry;

import java.time.Instant;
import java.util.List;

/** {@code GET /v1/merger/versions}: the versions kept in the store (rollback targets), newest first. */
@Serdeable
public record VersionsView(String average, long current, List<VersionView> versions) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VersionView(long version, String uri, String sha256, int memberCount, Double validationAccuracy,
                              Long rollbackOf, Instant publishedAt, Instant supersededAt, boolean current) {
    }

    static VersionsView of(AverageState s) {
        return new VersionsView(s.average(), s.version(), s.kept().stream()
                .sorted((a, b) -> Long.compare(b.version(), a.version()))
                .map(k -> view(k, k.version() == s.version())).toList());
    }

    private static VersionView view(KeptEntry k, boolean current) {
        return new VersionView(k.version(), k.uri(), k.sha256(), k.memberCount(), StateView.finite(k.validationAccuracy()),
                k.rollbackOf(), k.publishedAt(), k.supersededAt(), current);
    }
}
