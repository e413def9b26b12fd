package io.warmstream.scorer.events;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;

/** The model-update event stream's settings ({@code warm.scorer.events.*}); defaults in application.yml too. */
@ConfigurationProperties(ModelEventsSettings.PREFIX)
public class ModelEventsSettings {

    public static final String PREFIX = "warm.scorer.events";

    private int history = 1000;
    private int maxSubscribers = 64;
    private int maxPending = 256;
    private Duration heartbeat = Duration.ofSeconds(15);

    /** Records of warm.models kept for clients that resume with Last-Event-ID. */
    public int getHistory() {
        return history;
    }

    public void setHistory(int history) {
        this.history = atLeast(history, 1, "history");
    }

    /** Open event streams at most; one more gets 429. */
    public int getMaxSubscribers() {
        return maxSubscribers;
    }

    public void setMaxSubscribers(int maxSubscribers) {
        this.maxSubscribers = atLeast(maxSubscribers, 1, "max-subscribers");
    }

    /** Events waiting for one slow client at most; beyond that its stream ends and it resumes by Last-Event-ID. */
    public int getMaxPending() {
        return maxPending;
    }

    public void setMaxPending(int maxPending) {
        this.maxPending = atLeast(maxPending, 1, "max-pending");
    }

    /** A comment line sent this often on an idle stream, so proxies and the server's idle timeout keep it open. */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".heartbeat must be positive, got " + heartbeat);
        }
        this.heartbeat = heartbeat;
    }

    private static int atLeast(int value, int min, String key) {
        if (value < min) {
            throw new IllegalArgumentException(PREFIX + "." + key + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
