package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.fraction;
import static io.warmstream.platform.config.SettingChecks.present;

/**
 * The trainers' validation split ({@code warm.merger.holdout.*}), so the guard and the gate score on labels no member
 * trained on. The salt is required only when either is on, and then falls back to {@code warm.holdout.salt}.
 */
@ConfigurationProperties(HoldoutSettings.PREFIX)
public class HoldoutSettings {

    public static final String PREFIX = "warm.merger.holdout";

    private Double fraction;
    private String salt;

    @PostConstruct
    void check() {
        fraction(PREFIX + ".fraction", fraction);
        present(PREFIX + ".salt", salt);
    }

    public Double getFraction() { return fraction; }
    public void setFraction(Double fraction) { this.fraction = fraction; }
    /** A secret of the deployment: never logged. */
    public String getSalt() { return salt; }
    public void setSalt(String salt) { this.salt = salt; }
}
