package io.warmstream.scorer.evaluation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.warmstream.scorer.ScorerConfig;

/**
 * Prometheus gauges of the newest judged version's test-set figures:
 * {@code warm_scorer_test_set_accuracy{test_set}}, {@code warm_scorer_test_set_standard_error{test_set}} and
 * {@code warm_scorer_test_set_version}. NaN until the first version is judged.
 */
@Context
@Requires(property = ScorerConfig.ENABLED, value = "true")
@Requires(property = EvaluationSettings.TEST_SETS)
public final class TestSetGauges {

    public TestSetGauges(MeterRegistry registry, EvaluationSettings settings, EvaluationBoard board) {
        for (String name : settings.files().keySet()) {
            Gauge.builder("warm.scorer.test.set.accuracy", board, b -> figure(b, name, false))
                    .tag("test_set", name).description("accuracy of the newest judged version on a fixed test set")
                    .register(registry);
            Gauge.builder("warm.scorer.test.set.standard.error", board, b -> figure(b, name, true))
                    .tag("test_set", name).description("standard error of that accuracy").register(registry);
        }
        Gauge.builder("warm.scorer.test.set.version", board, EvaluationBoard::newestVersion)
                .description("the newest version judged on the test sets (-1: none yet)").register(registry);
    }

    private static double figure(EvaluationBoard board, String name, boolean standardError) {
        TestSetAccuracy a = board.forVersion(board.newestVersion()).get(name);
        if (a == null) {
            return Double.NaN;
        }
        return standardError ? a.standardError() : a.accuracy();
    }
}
