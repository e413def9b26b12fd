package io.warmstream.scorer.config;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Drift monitoring's settings beans together: the scorer's config takes them too, so they are checked at start even
 * where drift's own beans come later (after topic provisioning) or not at all.
 */
@Singleton
@Requires(property = "warm.scorer.enabled", value = "true")
public record DriftBeans(DriftSettings drift, DriftSettings.Labels labels, DriftSettings.Holdout holdout,
                         DriftSettings.Reference reference, DriftSettings.Agreement agreement,
                         DriftSettings.Reports reports) {
}
