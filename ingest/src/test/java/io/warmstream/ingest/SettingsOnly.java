package io.warmstream.ingest;

import io.micronaut.context.ApplicationContext;
import io.warmstream.ingest.config.HttpSettings;
import io.warmstream.ingest.config.IngestSettings;
import io.warmstream.ingest.config.LabelDefaultsSettings;
import io.warmstream.ingest.config.LimitsSettings;
import io.warmstream.ingest.config.TopologySettings;

import java.util.HashMap;
import java.util.Map;

/**
 * A started context with ingest's settings beans bound from its application.yml and {@code properties}, but none of
 * its services ({@code warm.ingest.enabled=false}): for tests of what the settings give, with no Kafka to reach.
 */
public final class SettingsOnly {

    private SettingsOnly() {
    }

    public static ApplicationContext context(Map<String, Object> properties) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put(IngestConfig.ENABLED, false);
        return ApplicationContext.builder().overrideConfigLocations(IngestApplication.CONFIG_LOCATION)
                .properties(props).start();
    }

    /** The settings the service's beans would get in {@code ctx}. */
    public static IngestConfig config(ApplicationContext ctx) {
        return new IngestConfig(ctx.getEnvironment(), ctx.getBean(IngestSettings.class), ctx.getBean(HttpSettings.class),
                ctx.getBean(LabelDefaultsSettings.class), ctx.getBean(LimitsSettings.class),
                ctx.getBean(TopologySettings.class));
    }
}
