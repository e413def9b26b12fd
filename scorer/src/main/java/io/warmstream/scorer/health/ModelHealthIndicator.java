package io.warmstream.scorer.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.HotSwappedModel;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code model} entry of {@code /health}: UP once a version serves (ready for traffic), DOWN before. */
@Singleton
@Readiness
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ModelHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final HotSwappedModel hot;
    private final DynamicBatcher batcher;

    public ModelHealthIndicator(HotSwappedModel hot, DynamicBatcher batcher) {
        this.hot = hot;
        this.batcher = batcher;
    }

    @Override
    protected String getName() {
        return "model";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("average", hot.average());
        hot.currentVersion().ifPresent(v -> d.put("version", v));
        hot.loading().ifPresent(v -> d.put("loading", v));
        hot.lastLoadError().ifPresent(f -> d.put("lastLoadError", "v" + f.version() + " " + f.stage() + ": " + f.message()));
        d.put("queuedItems", batcher.queuedItems());
        d.put("pendingTokens", batcher.pendingTokens());
        healthStatus = hot.current().isPresent() ? HealthStatus.UP : HealthStatus.DOWN;
        return d;
    }
}
