package io.warmstream.scorer.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import io.warmstream.model.store.ModelSigningKeys;
import io.warmstream.scorer.ScorerConfig;
import io.warmstream.scorer.batching.DynamicBatcher;
import io.warmstream.scorer.serving.HotSwappedModel;
import io.warmstream.scorer.serving.ModelUpdater;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model} entry of {@code /health}: UP once a version serves (ready for traffic), DOWN before. A checkpoint store
 * or schema registry that is unreachable is named under {@code dependencies} (degraded: the serving version keeps
 * answering, newer ones wait), without taking the scorer out of service.
 */
@Singleton
@Readiness
@Requires(property = ScorerConfig.ENABLED, value = "true")
public final class ModelHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private final HotSwappedModel hot;
    private final DynamicBatcher batcher;
    private final ModelUpdater updater;
    private final ModelSigningKeys signing;

    public ModelHealthIndicator(HotSwappedModel hot, DynamicBatcher batcher, ModelUpdater updater,
                                ModelSigningKeys signing) {
        this.hot = hot;
        this.batcher = batcher;
        this.updater = updater;
        this.signing = signing;
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
        d.put("modelDirectories", signing.describe());
        d.put("queuedItems", batcher.queuedItems());
        d.put("pendingTokens", batcher.pendingTokens());
        if (updater.outages().anyDown()) {
            d.put("dependencies", updater.outages().describe());
        }
        healthStatus = hot.current().isPresent() ? HealthStatus.UP : HealthStatus.DOWN;
        return d;
    }
}
