package io.warmstream.trainer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;

/** Generations of the shared head ({@code warm.trainer.planner.generations.*}). */
@ConfigurationProperties(GenerationsProperties.PREFIX)
public class GenerationsProperties {

    public static final String PREFIX = "warm.trainer.planner.generations";

    private Double refitFactor;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".refit-factor", refitFactor, 0.0);
    }

    /** A new head once the labels reach this many times the current head's; 0: one head for ever. */
    public Double getRefitFactor() { return refitFactor; }
    public void setRefitFactor(Double refitFactor) { this.refitFactor = refitFactor; }
}
