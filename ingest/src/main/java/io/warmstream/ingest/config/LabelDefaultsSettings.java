package io.warmstream.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.platform.config.SettingChecks;
import jakarta.annotation.PostConstruct;

/** What an HTTP label without a labeller or source gets ({@code warm.ingest.defaults.*}). */
@ConfigurationProperties(LabelDefaultsSettings.PREFIX)
public class LabelDefaultsSettings {

    public static final String PREFIX = "warm.ingest.defaults";

    private String labeller;
    private String source;

    @PostConstruct
    void check() {
        SettingChecks.notBlank(PREFIX + ".labeller", labeller);
        SettingChecks.notBlank(PREFIX + ".source", source);
    }

    public String getLabeller() {
        return labeller;
    }

    public void setLabeller(String labeller) {
        this.labeller = labeller;
    }

    public String getSource() {
        return source;
    }

    public void setSource(String source) {
        this.source = source;
    }
}
