package io.warmstream.scorer.drift.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import io.warmstream.events.DriftReport;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /v1/drift} bodies. */
public final class DriftView {

    private DriftView() {
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "DriftReport", description = "Drift figures of one version over one window (absent figures: nothing to measure).")
    public record Report(String average, long version, String windowStart, String windowEnd, long scoredCount,
                         Double rewardMean, Double rewardStd, Map<String, Double> rewardQuantiles, Double psi,
                         Double prequentialAccuracy, long prequentialCount, Long previousVersion,
                         Double agreementWithPrevious) {

        static Report of(DriftReport r) {
            Map<String, Double> q = new TreeMap<>();
            r.getRewardQuantiles().forEach((k, v) -> q.put(k.toString(), v));
            return new Report(r.getAverage(), r.getModelVersion(), r.getWindowStart().toString(), r.getWindowEnd().toString(),
                    r.getScoredCount(), finite(r.getRewardMean()), finite(r.getRewardStd()), q, finite(r.getPsi()),
                    r.getPrequentialAccuracy(), r.getPrequentialCount(), r.getPreviousVersion(), r.getAgreementWithPrevious());
        }

        private static Double finite(Double d) {
            return d == null || !Double.isFinite(d) ? null : d;
        }
    }

    @Serdeable
    @Schema(name = "DriftReports", description = "The newest drift reports of the average, newest window first.")
    public record Reports(String average, long windowSeconds, List<Report> reports) {
    }
}
