package io.warmstream.local.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarksTableTest {

    @Test
    void everyRowCitesItsFileAndEveryRatioFollowsFromTheNumbersPrinted() {
        List<ResultFiles.Result> results = List.of(
                result("ingest.json", "ingest", false, 2.1234, 2.4,
                        Figure.against("Avro labels", 183_456.7, "labels/s", "raw bytes", 201_003.2),
                        Figure.alone("HTTP labels", 43_912.0, "labels/s")),
                result("trainer.json", "trainer", true, 0.5, 0.7,
                        Figure.against("cached", 37.123, "pairs/s", "uncached", 11.987)));

        String md = BenchmarksTable.render(results, "results");

        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| benchmark")).toList();
        assertEquals(3, rows.size(), md);
        assertTrue(rows.get(0).contains("[ingest.json](results/ingest.json)"));
        assertTrue(rows.get(1).contains("[ingest.json](results/ingest.json)"));
        assertTrue(rows.get(2).contains("[trainer.json](results/trainer.json)"));
        assertTrue(rows.get(2).contains("trainer (*quick*)"));
        assertTrue(rows.get(0).contains("2.1 → 2.4"), "load at start and end shown");

        // 183,457 / 201,003 = 0.9127; 37.1 / 12.0 = 3.09 (from the printed, rounded numbers)
        assertTrue(rows.get(0).contains("| 183,457 labels/s | 201,003 labels/s — raw bytes | 0.91x |"), rows.get(0));
        assertTrue(rows.get(2).contains("| 37.1 pairs/s | 12 pairs/s — uncached | 3.09x |"), rows.get(2));
        assertTrue(rows.get(1).contains("| 43,912 labels/s | — | — |"), rows.get(1));
        for (String row : rows) {
            checkRatio(row);
        }
    }

    @Test
    void numbersKeepThreeSignificantDigitsBelowAThousand() {
        assertEquals("0.253", BenchmarksTable.number(0.25349));
        assertEquals("41.1", BenchmarksTable.number(41.0565));
        assertEquals("387", BenchmarksTable.number(386.506));
        assertEquals("1,234", BenchmarksTable.number(1234.4));
        assertEquals("6.20e-06", BenchmarksTable.number(6.2e-6));
        assertEquals("n/a", BenchmarksTable.number(null));
        assertEquals("n/a", BenchmarksTable.ratio("5", "n/a"));
    }

    /** measured / yardstick, both parsed back from the row, must give the printed ratio to two decimals. */
    private static void checkRatio(String row) {
        Matcher m = Pattern.compile("\\| ([\\d.,]+) \\S+ \\| ([\\d.,]+) \\S+ — [^|]+ \\| ([\\d.]+)x \\|").matcher(row);
        if (!m.find()) {
            return; // no yardstick in this row
        }
        double measured = Double.parseDouble(m.group(1).replace(",", ""));
        double yardstick = Double.parseDouble(m.group(2).replace(",", ""));
        assertEquals(measured / yardstick, Double.parseDouble(m.group(3)), 0.005, row);
    }

    static ResultFiles.Result result(String file, String name, boolean quick, double loadStart, double loadEnd,
                                     Figure... figures) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", 2);
        machine.put("device", "cpu()");
        machine.put("loadAverageAtStart", loadStart);
        machine.put("loadAverageAtEnd", loadEnd);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("benchmark", name);
        c.put("quick", quick);
        List<Object> rows = new ArrayList<>();
        for (Figure f : figures) {
            rows.add(f.toMap());
        }
        c.put("figures", rows);
        c.put("machine", machine);
        return new ResultFiles.Result(file, c);
    }
}
