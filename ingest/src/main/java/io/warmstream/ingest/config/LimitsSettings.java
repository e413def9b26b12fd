package io.warmstream.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.warmstream.ingest.rules.LabelLimits;
import jakarta.annotation.PostConstruct;

import java.time.Duration;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.notNegative;

/**
 * Bounds on one label and one request ({@code warm.ingest.limits.*}). Characters are Unicode code points; the request
 * bounds are checked while the body is parsed.
 */
@ConfigurationProperties(LimitsSettings.PREFIX)
public class LimitsSettings {

    public static final String PREFIX = "warm.ingest.limits";

    private Integer idChars;
    private Integer promptChars;
    private Integer responseChars;
    private Integer nameChars;
    private Integer metadataEntries;
    private Integer metadataChars;
    private Integer maxItems;
    private Integer listedRejections;
    private Integer maxDepth;
    private Integer maxTokens;
    private Duration createdAtMaxFuture;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".id-chars", idChars, 1);
        atLeast(PREFIX + ".prompt-chars", promptChars, 1);
        atLeast(PREFIX + ".response-chars", responseChars, 1);
        atLeast(PREFIX + ".name-chars", nameChars, 1);
        atLeast(PREFIX + ".metadata-entries", metadataEntries, 0);
        atLeast(PREFIX + ".metadata-chars", metadataChars, 1);
        atLeast(PREFIX + ".max-items", maxItems, 1);
        atLeast(PREFIX + ".listed-rejections", listedRejections, 0);
        atLeast(PREFIX + ".max-depth", maxDepth, 3);
        atLeast(PREFIX + ".max-tokens", maxTokens, 16);
        notNegative(PREFIX + ".created-at-max-future", createdAtMaxFuture);
    }

    public LabelLimits labelLimits() {
        return new LabelLimits(idChars, promptChars, responseChars, nameChars, metadataEntries, metadataChars);
    }

    public Integer getIdChars() { return idChars; }
    public void setIdChars(Integer idChars) { this.idChars = idChars; }
    public Integer getPromptChars() { return promptChars; }
    public void setPromptChars(Integer promptChars) { this.promptChars = promptChars; }
    public Integer getResponseChars() { return responseChars; }
    public void setResponseChars(Integer responseChars) { this.responseChars = responseChars; }
    public Integer getNameChars() { return nameChars; }
    public void setNameChars(Integer nameChars) { this.nameChars = nameChars; }
    public Integer getMetadataEntries() { return metadataEntries; }
    public void setMetadataEntries(Integer metadataEntries) { this.metadataEntries = metadataEntries; }
    public Integer getMetadataChars() { return metadataChars; }
    public void setMetadataChars(Integer metadataChars) { this.metadataChars = metadataChars; }
    /** Labels per request (array elements or NDJSON lines); one more is a 413. */
    public Integer getMaxItems() { return maxItems; }
    public void setMaxItems(Integer maxItems) { this.maxItems = maxItems; }
    /** Refused items listed one by one in a reply; the rest are only counted by reason. */
    public Integer getListedRejections() { return listedRejections; }
    public void setListedRejections(Integer listedRejections) { this.listedRejections = listedRejections; }
    /** JSON nesting depth (422 beyond). */
    public Integer getMaxDepth() { return maxDepth; }
    public void setMaxDepth(Integer maxDepth) { this.maxDepth = maxDepth; }
    /** JSON tokens per body or NDJSON line (413 beyond). */
    public Integer getMaxTokens() { return maxTokens; }
    public void setMaxTokens(Integer maxTokens) { this.maxTokens = maxTokens; }
    /** How far ahead of the server's clock {@code createdAt} may be (clock skew). */
    public Duration getCreatedAtMaxFuture() { return createdAtMaxFuture; }
    public void setCreatedAtMaxFuture(Duration createdAtMaxFuture) { this.createdAtMaxFuture = createdAtMaxFuture; }
}
