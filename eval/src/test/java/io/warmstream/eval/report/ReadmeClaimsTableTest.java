package io.warmstream.eval.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's table of claims is what ClaimsTable generates from the committed CPU report, character for character. */
class ReadmeClaimsTableTest {

    private static final Path README = Path.of("README.md");
    private static final Path CPU_RESULTS = Path.of("results", "cpu");

    @Test
    void readmeTableMatchesTheCommittedCpuReport() throws Exception {
        PaperResults cpu = ClaimsTable.read(CPU_RESULTS);
        String readme = Files.readString(README);
        assertEquals(ClaimsTable.readmeBlock(cpu), ClaimsTable.currentBlock(readme),
                "eval/README.md is out of date: run ClaimsTable eval/results/cpu eval/README.md");
        assertEquals(cpu.claims().size(), ClaimsTable.currentBlock(readme).lines()
                .filter(l -> l.startsWith("| ") && !l.startsWith("| the paper says")).count());
    }

    @Test
    void generatorReplacesOnlyTheBlockBetweenTheMarkers() {
        PaperResults.Claim claim = new PaperResults.Claim("WARM wins", "0% flipped", "WARM - ENS > 0", 0.1, 0.01,
                "holds", 0.0284, null, "WARM 0.7 vs ENS 0.6");
        PaperResults r = new PaperResults(Map.of(), Map.of(), List.of(), null, List.of(claim), null, null);
        String before = "intro\n" + ClaimsTable.BEGIN + "\nstale | table\n" + ClaimsTable.END + "\noutro\n";
        String after = ClaimsTable.readme(before, r);
        assertTrue(after.startsWith("intro\n" + ClaimsTable.BEGIN + "\n| the paper says"), after);
        assertTrue(after.endsWith(ClaimsTable.END + "\noutro\n"), after);
        assertTrue(after.contains("| WARM wins | 0% flipped | WARM - ENS > 0: +0.1000 ± 0.0100 | 0.0284 | - | **holds** |"),
                after);
        assertEquals(ClaimsTable.readmeBlock(r), ClaimsTable.currentBlock(after));
        assertEquals(after, ClaimsTable.readme(after, r), "idempotent");
        assertThrows(IllegalArgumentException.class, () -> ClaimsTable.readme("no markers", r));
    }

    @Test
    void anInconclusiveClaimIsMarkedUnderpoweredOnlyWhenThePapersSizeIsBelowTheDetectableEffect() {
        PaperResults.Claim small = new PaperResults.Claim("WARM wins", "0% flipped", "WARM - ENS > 0", 0.01, 0.02,
                "inconclusive", 0.0568, 0.03, "m");
        PaperResults.Claim large = new PaperResults.Claim("WARM wins", "0% flipped", "WARM - ENS > 0", 0.01, 0.02,
                "inconclusive", 0.0568, 0.294, "m");
        assertEquals(Boolean.TRUE, small.underpoweredForPaperEffect());
        assertEquals(Boolean.FALSE, large.underpoweredForPaperEffect(), "the paper's size would have been detected");
        assertEquals(null, new PaperResults.Claim("c", "l", "d", 0, 0.02, "inconclusive", 0.0568, null, "m")
                .underpoweredForPaperEffect(), "no size in the paper: no judgement");
        String md = ClaimsTable.markdown(List.of(small, large));
        assertTrue(md.contains("| +0.0300 | **inconclusive** (underpowered"), md);
        assertTrue(md.contains("| +0.2940 | **inconclusive** |"), md);
    }

    @Test
    void rlHeadlineStandsNextToThePapers() {
        PaperResults.Rl rl = new PaperResults.Rl(0.62, 0.55, 0.69, 2.0, "0% flipped", 0.794, 1, 16, 256, "m",
                List.of(), null);
        String line = ClaimsTable.rlLine(rl);
        assertTrue(line.contains("wins **62.0%** (95% CI 55.0% to 69.0%)") && line.contains("the paper reports 79.4%"),
                line);
        assertEquals("", ClaimsTable.rlLine(null));
    }
}
