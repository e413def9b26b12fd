package io.warmstream.testkit.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings a README's configuration tables document: every Markdown table whose first header cell starts with
 * "key" or "setting". A row's first cell names keys in backticks (environment variables, in capitals, are skipped):
 * <ul>
 *   <li>{@code `warm.a.b`} is a key; {@code `warm.a.{b,c}`} is two;</li>
 *   <li>after the first key, a key without {@code warm.}/{@code micronaut.} replaces as many trailing segments of
 *       the first ({@code `warm.a.b.c` / `d`} names {@code warm.a.b.d}; {@code `grid.dropouts`} two);</li>
 *   <li>in a table whose header names {@code `warm.a.*`}, a lone relative key is under {@code warm.a}.</li>
 * </ul>
 * The "default" column gives one value per key that is not a map ({@code .*}), split by " / " or ", ";
 * parenthesised remarks and backticks are dropped.
 */
public final class ReadmeSettingsTable {

    /** One documented key; {@code defaultValue} null when the table has no default column. */
    public record Entry(String key, String defaultValue, int line) {
    }

    private static final Pattern TICKED = Pattern.compile("`([^`]*)`");
    private static final Pattern BRACES = Pattern.compile("^(.*)\\{([^}]*)}(.*)$");
    private static final Pattern REMARK = Pattern.compile("\\([^()]*\\)");

    private ReadmeSettingsTable() {
    }

    /** Every key the file's configuration tables document; a row it cannot read is an {@link IllegalStateException}. */
    public static List<Entry> read(Path readme) {
        List<String> lines;
        try {
            lines = Files.readAllLines(readme);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Entry> out = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (!lines.get(i).startsWith("|") || i + 1 >= lines.size() || !lines.get(i + 1).startsWith("|---")) {
                i++;
                continue;
            }
            List<String> header = cells(lines.get(i));
            String first = header.get(0).toLowerCase();
            boolean settings = first.startsWith("key") || first.startsWith("setting");
            int defaultColumn = header.stream().map(h -> h.trim().toLowerCase()).toList().indexOf("default");
            String headerPrefix = ticked(header.get(0)).stream().filter(t -> t.endsWith(".*"))
                    .map(t -> t.substring(0, t.length() - 2)).findFirst().orElse(null);
            i += 2;
            for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                if (settings) {
                    out.addAll(row(lines.get(i), i + 1, headerPrefix, defaultColumn));
                }
            }
        }
        return out;
    }

    private static List<Entry> row(String line, int number, String headerPrefix, int defaultColumn) {
        List<String> cells = cells(line);
        List<String> keys = keys(REMARK.matcher(cells.get(0)).replaceAll(""), headerPrefix, number);
        if (keys.isEmpty()) {
            return List.of(); // a row about something else, e.g. metrics
        }
        if (defaultColumn < 0) {
            return keys.stream().map(k -> new Entry(k, null, number)).toList();
        }
        String cell = defaultColumn < cells.size() ? cells.get(defaultColumn) : "";
        String plain = stripRemarks(cell).replace("`", "").trim();
        List<String> valued = keys.stream().filter(k -> !k.endsWith(".*")).toList();
        List<String> values;
        if (plain.isEmpty()) {
            values = valued.stream().map(k -> "").toList();
        } else if (valued.size() == 1) {
            values = List.of(plain);
        } else {
            values = List.of(plain.split(plain.contains(" / ") ? "\\s+/\\s+" : ",\\s+"));
        }
        if (values.size() != valued.size()) {
            throw new IllegalStateException("line " + number + ": " + values.size() + " defaults for " + valued
                    + " (one per key, split by ' / ' or ', ')");
        }
        List<Entry> out = new ArrayList<>();
        for (String key : keys) {
            int at = valued.indexOf(key);
            out.add(new Entry(key, at < 0 ? null : values.get(at).trim(), number));
        }
        return out;
    }

    private static List<String> keys(String cell, String headerPrefix, int number) {
        List<String> out = new ArrayList<>();
        String first = null;
        for (String token : ticked(cell)) {
            if (token.isBlank() || token.matches("[A-Z0-9_.]+")) {
                continue; // an environment variable
            }
            for (String key : expand(token)) {
                String full;
                if (key.startsWith("warm.") || key.startsWith("micronaut.")) {
                    full = key;
                } else if (first != null) {
                    full = replaceTail(first, key);
                } else if (headerPrefix != null) {
                    full = headerPrefix + "." + key;
                } else {
                    throw new IllegalStateException("line " + number + ": '" + key + "' is not a full key");
                }
                if (first == null) {
                    first = full;
                }
                out.add(full);
            }
        }
        return out;
    }

    private static String replaceTail(String base, String relative) {
        String stem = base.endsWith(".*") ? base.substring(0, base.length() - 2) : base;
        String rel = relative.endsWith(".*") ? relative.substring(0, relative.length() - 2) : relative;
        String[] segments = stem.split("\\.");
        int keep = segments.length - rel.split("\\.").length;
        return String.join(".", List.of(segments).subList(0, keep)) + "." + relative;
    }

    private static List<String> expand(String token) {
        Matcher m = BRACES.matcher(token);
        if (!m.matches()) {
            return List.of(token);
        }
        List<String> out = new ArrayList<>();
        for (String part : m.group(2).split(",")) {
            out.addAll(expand(m.group(1) + part.trim() + m.group(3)));
        }
        return out;
    }

    private static String stripRemarks(String s) {
        String prev;
        do {
            prev = s;
            s = REMARK.matcher(s).replaceAll("");
        } while (!s.equals(prev));
        return s;
    }

    private static List<String> ticked(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TICKED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1).trim());
        }
        return out;
    }

    private static List<String> cells(String line) {
        String body = line.trim();
        body = body.substring(1, body.endsWith("|") && body.length() > 1 ? body.length() - 1 : body.length());
        List<String> out = new ArrayList<>();
        for (String cell : body.split("(?<!\\\\)\\|", -1)) {
            out.add(cell.trim());
        }
        return out;
    }
}
