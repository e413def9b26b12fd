package io.warmstream.platform.config;

import io.micronaut.context.exceptions.ConfigurationException;

import java.time.Duration;

/**
 * Checks a service's {@code @ConfigurationProperties} beans run at start ({@code @PostConstruct}), so a bad or missing
 * setting stops the service with a message naming its full key (e.g. {@code warm.ingest.limits.max-items}) instead
 * of failing later in the code that uses it. Defaults live in the service's {@code application.yml}: a key missing
 * there and everywhere else is reported as not set.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** {@code value}, or a failure saying {@code key} is not set. */
    public static <T> T present(String key, T value) {
        if (value == null) {
            throw new ConfigurationException(key + " must be set (the service's application.yml gives every default;"
                    + " was it read?)");
        }
        return value;
    }

    /** {@code value} if at least {@code min}. */
    public static int atLeast(String key, Integer value, int min) {
        present(key, value);
        if (value < min) {
            throw bad(key, "must be at least " + min, value);
        }
        return value;
    }

    /** {@code value} if at least {@code min}. */
    public static long atLeast(String key, Long value, long min) {
        present(key, value);
        if (value < min) {
            throw bad(key, "must be at least " + min, value);
        }
        return value;
    }

    /** {@code value} if within {@code [min, max]}. */
    public static double between(String key, Double value, double min, double max) {
        present(key, value);
        if (!(value >= min && value <= max)) {
            throw bad(key, "must be between " + min + " and " + max, value);
        }
        return value;
    }

    /** {@code value} if in {@code (0, 1]}. */
    public static double share(String key, Double value) {
        present(key, value);
        if (!(value > 0 && value <= 1)) {
            throw bad(key, "must be in (0, 1]", value);
        }
        return value;
    }

    /** {@code value} if in {@code [0, 1)}: a share of labels held out. */
    public static double fraction(String key, Double value) {
        present(key, value);
        if (!(value >= 0 && value < 1)) {
            throw bad(key, "must be in [0, 1)", value);
        }
        return value;
    }

    /** {@code value} if it is a finite number of at least {@code min}. */
    public static double atLeast(String key, Double value, double min) {
        present(key, value);
        if (!(value >= min) || value.isInfinite()) {
            throw bad(key, "must be a finite number of at least " + min, value);
        }
        return value;
    }

    /** {@code value} if it is a finite number. */
    public static double finite(String key, Double value) {
        present(key, value);
        if (!Double.isFinite(value)) {
            throw bad(key, "must be a finite number", value);
        }
        return value;
    }

    /** {@code value} if longer than zero. */
    public static Duration positive(String key, Duration value) {
        present(key, value);
        if (value.isNegative() || value.isZero()) {
            throw bad(key, "must be longer than zero", value);
        }
        return value;
    }

    /** {@code value} if not negative. */
    public static Duration notNegative(String key, Duration value) {
        present(key, value);
        if (value.isNegative()) {
            throw bad(key, "must not be negative", value);
        }
        return value;
    }

    /** {@code value} if not blank. */
    public static String notBlank(String key, String value) {
        present(key, value);
        if (value.isBlank()) {
            throw new ConfigurationException(key + " must not be empty");
        }
        return value;
    }

    /** A failure naming {@code key}, what it must be and the value it got. */
    public static ConfigurationException bad(String key, String rule, Object value) {
        return new ConfigurationException(key + " " + rule + ", got " + value);
    }
}
