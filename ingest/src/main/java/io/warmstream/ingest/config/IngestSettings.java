package io.warmstream.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import java.time.Duration;
import java.util.Map;

/** The ingest service's own switches ({@code warm.ingest.*}); defaults in {@code warmstream/ingest/application.yml}. */
@ConfigurationProperties(IngestSettings.PREFIX)
public class IngestSettings {

    public static final String PREFIX = "warm.ingest";
    public static final String ENABLED = PREFIX + ".enabled";

    private Boolean provisionTopics;
    private Duration closeTimeout;
    private Map<String, Object> producer = Map.of();

    @PostConstruct
    void check() {
        SettingChecks.present(PREFIX + ".provision-topics", provisionTopics);
        SettingChecks.positive(PREFIX + ".close-timeout", closeTimeout);
    }

    /** Create the label topics and register their schemas at start (idempotent). */
    public boolean isProvisionTopics() {
        return provisionTopics;
    }

    public void setProvisionTopics(Boolean provisionTopics) {
        this.provisionTopics = provisionTopics;
    }

    /** How long closing a Kafka client may take. */
    public Duration getCloseTimeout() {
        return closeTimeout;
    }

    public void setCloseTimeout(Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
    }

    /** Raw Kafka producer settings, applied over ours. */
    public Map<String, Object> getProducer() {
        return producer;
    }

    public void setProducer(@MapFormat(transformation = MapFormat.MapTransformation.FLAT,
            keyFormat = StringConvention.RAW) Map<String, Object> producer) {
        this.producer = producer == null ? Map.of() : Map.copyOf(producer);
    }
}
