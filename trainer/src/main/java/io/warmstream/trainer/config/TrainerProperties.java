package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.positive;
import static io.warmstream.platform.config.SettingChecks.present;

/** The trainer's own switches ({@code warm.trainer.*}); defaults in {@code warmstream/trainer/application.yml}. */
@ConfigurationProperties(TrainerProperties.PREFIX)
public class TrainerProperties {

    public static final String PREFIX = "warm.trainer";

    private Boolean provisionTopics;
    private Duration closeTimeout;

    @PostConstruct
    void check() {
        present(PREFIX + ".provision-topics", provisionTopics);
        positive(PREFIX + ".close-timeout", closeTimeout);
    }

    /** Create the trainer's topics and register their schemas at start (idempotent). */
    public Boolean getProvisionTopics() { return provisionTopics; }
    public void setProvisionTopics(Boolean provisionTopics) { this.provisionTopics = provisionTopics; }
    public Duration getCloseTimeout() { return closeTimeout; }
    public void setCloseTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; }
}
