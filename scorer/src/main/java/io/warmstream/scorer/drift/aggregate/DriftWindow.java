package io.warmstream.scorer.drift.aggregate;

import io.warmstream.events.DriftObservation;
import io.warmstream.events.DriftReport;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running figures of one (average, version, window): reward count, mean and spread (Welford's update, so no
 * sum of squares loses precision), a {@link RewardSketch} (KLL) of the rewards, prequential and agreement counts. The
 * drift topology's aggregate; {@link #report} turns it into a {@link DriftReport}.
 */
public final class DriftWindow {

    /** The quantiles every report carries, by key. */
    static final Map<String, Double> QUANTILES = Map.of("p05", 0.05, "p25", 0.25, "p50", 0.50, "p75", 0.75, "p95", 0.95);

    String average;
    long version = -1;
    long scored;
    double mean;
    double m2;
    final RewardSketch sketch;
    long prequentialCorrect;
    long prequentialCount;
    Long previousVersion;
    long agreementSame;
    long agreementCount;

    /** @param sketchSize the KLL sketch's k: rewards held exactly, and its error bound beyond */
    public DriftWindow(int sketchSize) {
        this.sketch = new RewardSketch(sketchSize);
    }

    DriftWindow(RewardSketch sketch) {
        this.sketch = sketch;
    }

    /** Adds one observation (the aggregator); returns this. */
    public DriftWindow add(DriftObservation o) {
        average = o.getAverage();
        version = o.getModelVersion();
        for (double r : o.getRewards()) {
            if (!Double.isFinite(r)) {
                continue;
            }
            scored++;
            double d = r - mean;
            mean += d / scored;
            m2 += d * (r - mean);
            sketch.add(r);
        }
        prequentialCorrect += o.getPrequentialCorrect();
        prequentialCount += o.getPrequentialCount();
        if (o.getAgreementCount() > 0 && o.getPreviousVersion() != null) {
            previousVersion = o.getPreviousVersion();
            agreementSame += o.getAgreementSame();
            agreementCount += o.getAgreementCount();
        }
        return this;
    }

    /** True when nothing but ticks and references fell into the window: no report. */
    public boolean isEmpty() {
        return scored == 0 && prequentialCount == 0 && agreementCount == 0;
    }

    public long scored() {
        return scored;
    }

    /**
     * The report of this window. Reward figures are null (quantiles empty) without traffic; {@code psi} is null without
     * a reference; the standard deviation is the population one (divided by n).
     */
    public DriftReport report(Instant start, Instant end, double[] reference) {
        Map<String, Double> quantiles = new LinkedHashMap<>();
        if (scored > 0) {
            QUANTILES.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> quantiles.put(e.getKey(), sketch.quantile(e.getValue())));
        }
        Double psi = null;
        if (scored > 0 && reference != null && reference.length > 0) {
            psi = Psi.of(reference, sketch.points(), sketch.pointWeights());
        }
        return DriftReport.newBuilder()
                .setAverage(average)
                .setModelVersion(version)
                .setWindowStart(start)
                .setWindowEnd(end)
                .setScoredCount(scored)
                .setRewardMean(scored > 0 ? mean : null)
                .setRewardStd(scored > 0 ? Math.sqrt(m2 / scored) : null)
                .setRewardQuantiles(new LinkedHashMap<>(quantiles))
                .setPsi(psi)
                .setPrequentialAccuracy(prequentialCount > 0 ? prequentialCorrect / (double) prequentialCount : null)
                .setPrequentialCount(prequentialCount)
                .setPreviousVersion(agreementCount > 0 ? previousVersion : null)
                .setAgreementWithPrevious(agreementCount > 0 ? agreementSame / (double) agreementCount : null)
                .build();
    }
}
