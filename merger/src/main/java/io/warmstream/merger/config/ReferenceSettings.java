package io.warmstream.merger.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.PostConstruct;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.present;

/** The fixed reference set each version's reward scale is measured on ({@code warm.merger.reference.*}). */
@ConfigurationProperties(ReferenceSettings.PREFIX)
public class ReferenceSettings {

    public static final String PREFIX = "warm.merger.reference";

    private String set;
    private Integer maxItems;

    @PostConstruct
    void check() {
        present(PREFIX + ".set", set);
        atLeast(PREFIX + ".max-items", maxItems, 1);
    }

    /** A JSONL file; empty: the scale is not measured. */
    public String getSet() { return set; }
    public void setSet(String set) { this.set = set == null ? null : set.trim(); }
    /** Items scored per version at most. */
    public Integer getMaxItems() { return maxItems; }
    public void setMaxItems(Integer maxItems) { this.maxItems = maxItems; }
}
