package io.warmstream.merger.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.warmstream.merger.kafka.MergerStatus;
import io.warmstream.merger.state.AverageState;
import io.warmstream.merger.state.MemberInfo;
import io.warmstream.merger.state.QualityFigures;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/merger/state}: who runs the average and its current (newest) version; {@code servedVersion} is the one
 * scorers serve, which differs while the quality gate withholds versions. The held-out figures: accuracy with its
 * standard error, and versus the served version it was compared with, the paired difference with its standard error.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateView(String average, String role, boolean paused, long version, String uri, String sha256,
                        String lineage, String strategy, int memberCount, long folds, Double validationAccuracy,
                        Double accuracyStandardError, Double membersMeanAccuracy, int holdoutLabels,
                        int heldOutSampleSize, long servedVersion, boolean withheld, Long comparedWithVersion,
                        Double comparedWithAccuracy, Double pairedDifference, Double pairedStandardError,
                        Long rollbackOf, Instant publishedAt, List<MemberView> members, long checkpointsFolded,
                        long checkpointsRejected, String lastError, Instant lastErrorAt, int generation,
                        int servedGeneration, String withheldReason) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MemberView(String jobId, String uri, String sha256, Double validationAccuracy, double weight,
                             Double holdoutAccuracy) {
        static MemberView of(MemberInfo m) {
            return new MemberView(m.jobId(), m.uri(), m.sha256(), finite(m.validationAccuracy()), m.weight(),
                    finite(m.holdoutAccuracy()));
        }
    }

    /** JSON has no NaN: an unknown accuracy is left out. */
    static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    static StateView of(String average, MergerStatus status, int sampleSize) {
        AverageState s = status.state();
        QualityFigures q = s.quality();
        return new StateView(average, status.role().name(), status.paused(), s.version(), s.uri(), s.sha256(),
                s.lineage(), s.strategy(), s.members().size(), s.folds(), finite(s.validationAccuracy()),
                finite(q.accuracyStandardError()), finite(s.membersMeanAccuracy()), s.holdoutLabels(), sampleSize,
                s.servedVersion(), q.withheld(), q.comparedWith(), finite(q.comparedWithAccuracy()),
                finite(q.pairedDifference()), finite(q.pairedStandardError()), s.rollbackOf(), s.publishedAt(),
                s.members().stream().map(MemberView::of).toList(), status.folded(), status.rejected(),
                status.lastError(), status.lastErrorAt(), s.generation(), s.servedGeneration(), q.withheldReason());
    }
}
