package io.warmstream.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmstream.eval.report.PaperResults.Claim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The table of the paper's claims with their verdicts, as markdown: in report.md, and (by {@code ClaimsTable DIR})
 * printed from a report.json for the READMEs, so the tables there are generated rather than retyped.
 */
public final class ClaimsTable {

    private ClaimsTable() {
    }

    public static String markdown(List<Claim> claims) {
        StringBuilder b = new StringBuilder();
        b.append("| the paper says | noise | estimate ± SE (paired) | detectable effect (80% power) | paper's size "
                + "| verdict | measured |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Claim c : claims) {
            b.append("| ").append(cell(c.claim())).append(" | ").append(cell(c.level())).append(" | ")
                    .append(String.format(Locale.ROOT, "%s: %+.4f ± %.4f", cell(c.paperDirection()), c.estimate(),
                            c.se()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.4f", c.minDetectableEffect())).append(" | ")
                    .append(c.paperEffect() == null ? "-" : String.format(Locale.ROOT, "%+.4f", c.paperEffect()))
                    .append(" | ").append("**").append(c.verdict()).append("**")
                    .append(Boolean.TRUE.equals(c.underpoweredForPaperEffect()) ? " (underpowered: the paper's size "
                            + "is below the detectable effect)" : "")
                    .append(" | ").append(cell(c.measured()))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** The RL stand-in's headline next to the paper's 79.4%, one line (empty if the report has no RL stand-in). */
    public static String rlLine(PaperResults.Rl rl) {
        if (rl == null) {
            return "";
        }
        return String.format(Locale.ROOT, "RL stand-in (%s, KL %.2f nats, %d prompts x %d candidates, %d training "
                        + "seed(s)): WARM's policy wins **%.1f%%** (95%% CI %.1f%% to %.1f%%) against the best single "
                        + "RM's; the paper reports %.1f%%.\n", rl.level(), rl.kl(), rl.prompts(), rl.candidates(),
                rl.seeds(), 100 * rl.winRate(), 100 * rl.winRateCiLow(), 100 * rl.winRateCiHigh(),
                100 * rl.paperWinRate());
    }

    /** How the verdicts are reached, for the line under the table. */
    public static String legend() {
        return "Verdict: **holds** when the estimate is more than 2 standard errors on the paper's side of 0, "
                + "**contradicted** when more than 2 SE on the other side, **inconclusive** otherwise. The standard "
                + "error is a paired bootstrap (2,000 resamples) over the test items (pairs or best-of-N prompts) "
                + "and, with several training seeds, over the seeds. The detectable effect is 2.84 SE: a true effect "
                + "that large comes out \"holds\" 80% of the time; a smaller one would probably be missed. The "
                + "paper's size is the effect the paper reports on the same scale, where it gives one (a dash: it "
                + "gives a direction only); an inconclusive claim whose detectable effect exceeds it is marked "
                + "underpowered.";
    }

    /** Opens the generated block in a README (the text up to the end marker is replaced by {@link #readme}). */
    public static final String BEGIN = "<!-- claims table: generated from report.json by ClaimsTable, do not edit -->";
    public static final String END = "<!-- claims table: end -->";

    /** What the README shows between the markers: the RL stand-in's headline, then the claims table. */
    public static String readmeBlock(PaperResults r) {
        String rl = rlLine(r.rl());
        return (rl.isEmpty() ? "" : rl + "\n") + markdown(r.claims());
    }

    /** The README text with the block between the markers replaced; IllegalArgumentException without markers. */
    public static String readme(String readme, PaperResults r) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no " + BEGIN + " ... " + END + " block");
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + readmeBlock(r) + readme.substring(end);
    }

    /** The block currently between the markers (what the generator would write, if the README is up to date). */
    public static String currentBlock(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the README has no " + BEGIN + " ... " + END + " block");
        }
        return readme.substring(begin + BEGIN.length() + 1, end);
    }

    public static PaperResults read(Path dir) {
        Path json = dir.resolve(ReportWriter.JSON);
        try {
            return new ObjectMapper().readValue(json.toFile(), PaperResults.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
    }

    /**
     * {@code ClaimsTable DIR}: prints the claims table of DIR/report.json; {@code ClaimsTable DIR README.md}: writes
     * it (with the RL stand-in's line) into the README between the markers.
     */
    public static void main(String[] args) {
        if (args.length != 1 && args.length != 2) {
            System.err.println("usage: ClaimsTable DIR [README] (DIR holds report.json; README gets the table between "
                    + BEGIN + " and " + END + ")");
            System.exit(2);
        }
        PaperResults r = read(Path.of(args[0]));
        if (args.length == 1) {
            System.out.print(readmeBlock(r));
            return;
        }
        Path readme = Path.of(args[1]);
        try {
            java.nio.file.Files.writeString(readme, readme(java.nio.file.Files.readString(readme), r));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + readme, e);
        }
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
