package io.warmstream.testkit.config;

import io.micronaut.core.convert.ConversionService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Holds a README's configuration tables ({@link ReadmeSettingsTable}) to a service's beans ({@link BoundSettings}):
 * every documented key under the service's own prefixes exists and shows the default the service really has; with
 * {@code everyKeyListed}, every bound key is documented too. Returns the problems, one line each, so a test shows
 * them all at once.
 */
public final class SettingsTableCheck {

    /** What a table may write for a default that is empty or absent. */
    private static final Set<String> EMPTY_WORDS = Set.of("", "\"\"", "empty", "unset", "none", "required");

    private SettingsTableCheck() {
    }

    public static List<String> problems(Path readme, Map<String, BoundSettings.Setting> bound, List<String> ownPrefixes,
                                        boolean everyKeyListed) {
        List<String> problems = new ArrayList<>();
        List<ReadmeSettingsTable.Entry> entries = ReadmeSettingsTable.read(readme);
        for (ReadmeSettingsTable.Entry entry : entries) {
            if (ownPrefixes.stream().noneMatch(entry.key()::startsWith)) {
                continue;
            }
            BoundSettings.Setting setting = bound.get(entry.key());
            if (setting == null) {
                problems.add(readme + ":" + entry.line() + ": " + entry.key() + " is documented but no bean binds it");
            } else if (entry.defaultValue() != null && !setting.isMap()
                    && !sameDefault(entry.defaultValue(), setting.defaultValue(), setting.type())) {
                problems.add(readme + ":" + entry.line() + ": " + entry.key() + " is documented with default '"
                        + entry.defaultValue() + "' but it is '" + setting.defaultValue() + "'");
            }
        }
        if (everyKeyListed) {
            for (BoundSettings.Setting setting : bound.values()) {
                boolean documented = entries.stream().anyMatch(e -> e.key().equals(setting.key())
                        && (e.defaultValue() != null || setting.isMap()));
                if (!documented) {
                    problems.add(readme + ": " + setting.key() + " (default '" + setting.defaultValue()
                            + "') is not in a configuration table with its default");
                }
            }
        }
        return problems;
    }

    static boolean sameDefault(String documented, String actual, Class<?> type) {
        String doc = unquote(documented);
        String act = actual == null ? "" : actual.trim();
        if (doc.equals(act) || (EMPTY_WORDS.contains(doc.toLowerCase()) && act.isEmpty())) {
            return true;
        }
        Optional<?> a = ConversionService.SHARED.convert(act, type);
        Optional<?> d = ConversionService.SHARED.convert(doc, type);
        return a.isPresent() && d.isPresent() && Objects.equals(a.get(), d.get());
    }

    private static String unquote(String s) {
        String t = s.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
