package io.warmstream.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

/** Where HTTP labels go ({@code warm.ingest.http.*}). */
@ConfigurationProperties(HttpSettings.PREFIX)
public class HttpSettings {

    public static final String PREFIX = "warm.ingest.http";

    private String topic;

    @PostConstruct
    void check() {
        SettingChecks.notBlank(PREFIX + ".topic", topic);
    }

    /** The raw topic by default, so the one topology validates and de-duplicates every label. */
    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }
}
