package io.warmstream.scorer.events;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.warmstream.scorer.ScorerConfig;
import jakarta.inject.Singleton;

/** The event log as a bean, here rather than in {@code ScorerBeans} so the scorer's root package does not depend on this one. */
@Factory
@Requires(property = ScorerConfig.ENABLED, value = "true")
public class ModelEventBeans {

    @Singleton
    ModelEventLog modelEventLog(ModelEventsSettings settings) {
        return new ModelEventLog(settings.getHistory());
    }
}
