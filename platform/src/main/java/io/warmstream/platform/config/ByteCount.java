package io.warmstream.platform.config;

import java.util.Locale;

/** Byte-count settings (cache budgets): a number of bytes, or one with a unit such as {@code 512MiB} or {@code 1GiB}. */
public final class ByteCount {

    private ByteCount() {
    }

    /**
     * A byte count: digits, optionally followed by a unit; K, M, G and T (with or without "B" or "iB", any case)
     * are all powers of 1024, as heap sizes are. "1GiB" = "1g" = 1073741824.
     */
    public static long parse(String key, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        String unit = s.substring(end).trim().replaceFirst("i?b$", "");
        int shift = switch (unit) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> -1;
        };
        if (end == 0 || shift < 0) {
            throw new IllegalArgumentException(key + ": '" + text + "' is not a byte count (e.g. 1073741824, 512MiB, 1GiB)");
        }
        long value = Long.parseLong(s.substring(0, end));
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException(key + ": '" + text + "' is too large");
        }
        return value << shift;
    }
}
