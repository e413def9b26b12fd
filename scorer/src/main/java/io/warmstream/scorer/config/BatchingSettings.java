package io.warmstream.scorer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PostConstruct;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.warmstream.platform.config.SettingChecks.atLeast;
import static io.warmstream.platform.config.SettingChecks.present;

/** Dynamic batching and admission by padded tokens ({@code warm.scorer.batching.*}). */
@ConfigurationProperties(BatchingSettings.PREFIX)
public class BatchingSettings {

    public static final String PREFIX = "warm.scorer.batching";
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(us|ms|s)");

    private Integer maxBatch;
    private String maxWait;
    private Integer tokenBudget;
    private Integer threads;

    @PostConstruct
    void check() {
        atLeast(PREFIX + ".max-batch", maxBatch, 0);
        present(PREFIX + ".max-wait", maxWait);
        if (!isAuto()) {
            parseDuration(maxWait);
        }
        atLeast(PREFIX + ".token-budget", tokenBudget, 1);
        atLeast(PREFIX + ".threads", threads, 1);
    }

    /** Items per forward pass; 0 = 32 on CPU, 256 on GPU. */
    public Integer getMaxBatch() { return maxBatch; }
    public void setMaxBatch(Integer maxBatch) { this.maxBatch = maxBatch; }
    /** How long the oldest queued item waits for company: auto (0 on CPU, 2ms on GPU) or a duration. */
    public String getMaxWait() { return maxWait; }
    public void setMaxWait(String maxWait) { this.maxWait = maxWait == null ? null : maxWait.trim(); }
    /** Padded tokens admitted and not yet scored, at most. */
    public Integer getTokenBudget() { return tokenBudget; }
    public void setTokenBudget(Integer tokenBudget) { this.tokenBudget = tokenBudget; }
    /** Model threads running forward passes. */
    public Integer getThreads() { return threads; }
    public void setThreads(Integer threads) { this.threads = threads; }

    public boolean isAuto() {
        return maxWait.isEmpty() || maxWait.equalsIgnoreCase("auto");
    }

    /** "5ms", "1s", "250us" or an ISO-8601 duration ("PT0.005S"). */
    public static Duration parseDuration(String s) {
        Matcher m = SHORT_DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "us" -> Duration.ofNanos(n * 1000);
                case "ms" -> Duration.ofMillis(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            throw new ConfigurationException(PREFIX + ".max-wait must be auto or a duration like 2ms, got \"" + s + "\"");
        }
    }
}
