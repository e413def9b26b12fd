package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;

/** Lambda of the conservative reward {@code mean - lambda * std} ({@code warm.scorer.uncertainty.*}). */
@ConfigurationProperties(UncertaintySettings.PREFIX)
public class UncertaintySettings {

    public static final String PREFIX = "warm.scorer.uncertainty";

    private Double defaultLambda;
    private Double maxLambda;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".default-lambda", defaultLambda, 0.0);
        atLeast(PREFIX + ".max-lambda", maxLambda, 0.0);
        if (defaultLambda > maxLambda) {
            throw SettingChecks.bad(PREFIX + ".default-lambda", "must be at most " + PREFIX + ".max-lambda ("
                    + maxLambda + ")", defaultLambda);
        }
    }

    /** When a request names none. */
    public Double getDefaultLambda() { return defaultLambda; }
    public void setDefaultLambda(Double defaultLambda) { this.defaultLambda = defaultLambda; }
    /** The largest a request may name. */
    public Double getMaxLambda() { return maxLambda; }
    public void setMaxLambda(Double maxLambda) { this.maxLambda = maxLambda; }
}
