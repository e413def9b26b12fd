package io.warmstream.testkit.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How README configuration tables are read, and what the check reports against the keys beans bind. */
class SettingsTableCheckTest {

    private static final String README = """
            Text with `warm.x.ignored` outside tables.

            | key | default | meaning |
            |---|---|---|
            | `warm.x.{a,b}` (`WARM_X_A`) | 1, 2s (two seconds) | braces |
            | `warm.x.grid.rates` / `grid.drops` / `c` | `1e-5,4e-5` / `0.1` / empty (`<tmp>/x`) | relative keys |
            | `warm.x.streams.*`, `d` | true | a map, then a key |
            | `warm.other.key` | 7 | not ours |
            | (metrics) | | no key |

            | setting (`warm.x.limits.*`) | env | default |
            |---|---|---|
            | `max` | `WARM_X_MAX` | 10 |

            | module | one job |
            |---|---|
            | `warm.x.not-a-setting` | ignored |
            """;

    private static Map<String, BoundSettings.Setting> bound(String... keyDefaultType) {
        Map<String, BoundSettings.Setting> out = new LinkedHashMap<>();
        for (int i = 0; i < keyDefaultType.length; i += 2) {
            String key = keyDefaultType[i];
            Class<?> type = keyDefaultType[i + 1].equals("duration") ? Duration.class : String.class;
            out.put(key, new BoundSettings.Setting(key, key.endsWith(".*") ? null : defaults().get(key), type));
        }
        return out;
    }

    private static Map<String, String> defaults() {
        return Map.of("warm.x.a", "1", "warm.x.b", "2000ms", "warm.x.grid.rates", "1e-5,4e-5", "warm.x.grid.drops",
                "0.1", "warm.x.grid.c", "", "warm.x.d", "true", "warm.x.limits.max", "10", "warm.x.e", "5");
    }

    private static Path readme(Path dir) throws IOException {
        return Files.writeString(dir.resolve("README.md"), README);
    }

    @Test
    void tablesAreReadWithBracesRelativeKeysHeaderPrefixesAndRemarksDropped(@TempDir Path dir) throws IOException {
        List<String> read = ReadmeSettingsTable.read(readme(dir)).stream()
                .map(e -> e.key() + "=" + e.defaultValue()).toList();
        assertEquals(List.of("warm.x.a=1", "warm.x.b=2s", "warm.x.grid.rates=1e-5,4e-5", "warm.x.grid.drops=0.1",
                "warm.x.grid.c=empty", "warm.x.streams.*=null", "warm.x.d=true", "warm.other.key=7", "warm.x.limits.max=10"),
                read);
    }

    @Test
    void reportsWrongDefaultsUnknownKeysAndUndocumentedOnes(@TempDir Path dir) throws IOException {
        Path file = readme(dir);
        Map<String, BoundSettings.Setting> all = bound("warm.x.a", "string", "warm.x.b", "duration",
                "warm.x.grid.rates", "string", "warm.x.grid.drops", "string", "warm.x.grid.c", "string",
                "warm.x.streams.*", "string", "warm.x.d", "string", "warm.x.limits.max", "string");
        assertEquals(List.of(), SettingsTableCheck.problems(file, all, List.of("warm.x."), true));

        Map<String, BoundSettings.Setting> changed = new LinkedHashMap<>(all);
        changed.put("warm.x.a", new BoundSettings.Setting("warm.x.a", "3", String.class));
        changed.remove("warm.x.d");
        changed.put("warm.x.e", new BoundSettings.Setting("warm.x.e", "5", String.class));
        assertEquals(List.of(
                file + ":5: warm.x.a is documented with default '1' but it is '3'",
                file + ":7: warm.x.d is documented but no bean binds it",
                file + ": warm.x.e (default '5') is not in a configuration table with its default"),
                SettingsTableCheck.problems(file, changed, List.of("warm.x."), true));
    }
}
