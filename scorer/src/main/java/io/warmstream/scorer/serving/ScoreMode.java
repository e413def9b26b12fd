package io.warmstream.scorer.serving;

import java.util.Locale;

/** WARM: the weight average alone (one forward pass). ENS: the members' prediction ensemble (M forward passes). */
public enum ScoreMode {
    WARM, ENS;

    /** "warm" or "ens" (any case); {@link IllegalArgumentException} otherwise. */
    public static ScoreMode parse(String s) {
        if (s == null || s.isBlank()) {
            return WARM;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "warm" -> WARM;
            case "ens" -> ENS;
            default -> throw new IllegalArgumentException("mode must be warm or ens, got \"" + s + "\"");
        };
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
