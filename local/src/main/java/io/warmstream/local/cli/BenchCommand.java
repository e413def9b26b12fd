package io.warmstream.local.cli;

import io.warmstream.local.bench.BenchKit;
import io.warmstream.local.bench.BenchKitFolder;
import io.warmstream.local.bench.BenchOptions;
import io.warmstream.local.bench.BenchRunner;
import io.warmstream.local.bench.Benchmark;
import io.warmstream.local.bench.BenchmarkCatalogue;
import io.warmstream.local.bench.ClasspathJars;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code warm bench}: every benchmark beside its yardstick, results as JSON, one regenerated figures table. */
@Command(name = "bench", usageHelpAutoWidth = true,
        description = {"Run the benchmarks, each beside its yardstick in the same run, one after another.", "",
                "fold (average folding vs copying a weights file), ingest (Avro producer vs raw bytes), merger (guard "
                        + "on vs off), trainer (feature cache vs the uncached trainer), scorer (vs onnxruntime on the "
                        + "same model; WARM vs ENS), model (DJL forward and training speed), freshness (a stream run "
                        + "of the real services with the demo's CPU settings).",
                "", "Writes --out/NAME.json with the machine's facts (cores, load average at start and end, Java, OS, "
                        + "device, git commit, jar sizes), then rebuilds --out/summary.json and BENCHMARKS.md beside "
                        + "--out from every result file there. Runs on a GPU when DJL reports one; a libtorch named by "
                        + "PYTORCH_LIBRARY_PATH is used as DJL uses it. trainer and model run on the bench kit's "
                        + "classpath (see --kit), the others on warm's whole classpath.", ""})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--only", split = ",", paramLabel = "<name>",
            description = "Benchmarks to run (default: all): fold, ingest, merger, trainer, scorer, model, freshness.")
    List<String> only;

    @Option(names = "--quick", description = "Small sizes, to check that each benchmark works; figures marked quick.")
    boolean quick;

    @Option(names = "--architecture", paramLabel = "<name>", defaultValue = "minilm-l6",
            description = "Base model: minilm-l6 or bge-small (pretrained), or with --random-weights minilm-l6 or "
                    + "bert-base shapes (default ${DEFAULT-VALUE}).")
    String architecture;

    @Option(names = "--random-weights", description = "Randomly initialised weights of --architecture (fixed seed), "
            + "for machines without the pretrained weights; speed depends on the shapes only.")
    boolean randomWeights;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "bench/results",
            description = "Result folder (default ${DEFAULT-VALUE}); BENCHMARKS.md goes beside it.")
    Path out;

    @Option(names = "--freshness-minutes", paramLabel = "<minutes>", defaultValue = "30",
            description = "Length of the freshness stream run (default ${DEFAULT-VALUE}; --quick: 3, tiny model).")
    int freshnessMinutes;

    @Option(names = "--freshness-from", paramLabel = "<report>",
            description = "Take the freshness figures from this stream report (report.json or its folder, e.g. "
                    + "eval/results/stream-cpu) instead of running one; the result names it as its source.")
    Path freshnessFrom;

    @Option(names = "--table", description = "Run nothing: only rebuild summary.json and BENCHMARKS.md from the "
            + "result files in --out.")
    boolean tableOnly;

    @Option(names = "--kit", paramLabel = "<dir>",
            description = "Run nothing: write the bench kit into <dir> (lib/ with the jars the model and trainer "
                    + "benchmarks need, bench.sh to run them with java -cp \"lib/*\") and print its size.")
    Path kit;

    @Option(names = "--kit-weights", description = "With --kit: copy the pretrained weights' jars too.")
    boolean kitWeights;

    @Option(names = "--kit-libtorch", description = "With --kit: copy libtorch's native jars (CPU) too; without "
            + "them bench.sh needs PYTORCH_LIBRARY_PATH.")
    boolean kitLibtorch;

    @Override
    public Integer call() {
        PrintStream progress = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if ((kitWeights || kitLibtorch) && kit == null) {
            return error("--kit-weights and --kit-libtorch need --kit <dir>");
        }
        if (kit != null) {
            if (tableOnly || (only != null && !only.isEmpty())) {
                return error("--kit runs nothing: it cannot go with --only or --table");
            }
            if (quick || randomWeights || !architecture.equals("minilm-l6")) {
                return error("--kit runs nothing: pass --quick, --architecture and --random-weights to the kit's "
                        + "bench.sh instead");
            }
            return writeKit(progress);
        }
        List<Benchmark> selected;
        try {
            selected = tableOnly ? List.of() : BenchmarkCatalogue.select(only, progress);
        } catch (IllegalArgumentException e) {
            return error(e.getMessage());
        }
        Duration freshness = Duration.ofMinutes(quick && freshnessMinutes == 30 ? 3 : freshnessMinutes);
        BenchOptions options = new BenchOptions(quick, architecture, randomWeights, out, freshness, freshnessFrom,
                command());
        List<String> failed = new BenchRunner(options, Path.of("").toAbsolutePath(), progress).run(selected);
        if (!failed.isEmpty()) {
            spec.commandLine().getErr().println("bench: failed: " + String.join(", ", failed));
            spec.commandLine().getErr().flush();
            return 1;
        }
        return 0;
    }

    private int writeKit(PrintStream progress) {
        BenchKitFolder.Written w;
        try {
            w = BenchKitFolder.write(BenchKit.ofThisJvm(), kit, kitWeights, kitLibtorch);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return error(e.getMessage());
        } catch (java.io.IOException e) {
            return error("cannot write the kit into " + kit + ": " + e);
        }
        progress.printf("bench kit: %d jars in %s; %.1f MB without weights and libtorch (target: under %.0f MB)%n",
                w.jars(), w.lib(), w.kitBytes() / 1e6, ClasspathJars.TARGET_MB);
        progress.printf("  weights %.1f MB %s; libtorch %.1f MB %s%n", w.weightsBytes() / 1e6,
                w.weightsCopied() ? "copied" : "not copied (--kit-weights, or run with --random-weights)",
                w.libtorchBytes() / 1e6, w.libtorchCopied() ? "copied" : "not copied (--kit-libtorch, or set "
                        + "PYTORCH_LIBRARY_PATH)");
        progress.println("  run: " + kit.resolve("bench.sh") + " [--quick] [--architecture <name>] [--random-weights]");
        return 0;
    }

    private int error(String message) {
        spec.commandLine().getErr().println("error: " + message);
        spec.commandLine().getErr().flush();
        return 2;
    }

    /** The command line as a user would type it again, recorded in every result file. */
    private String command() {
        StringBuilder c = new StringBuilder("./warm bench");
        if (only != null && !only.isEmpty()) c.append(" --only ").append(String.join(",", only));
        if (quick) c.append(" --quick");
        if (!architecture.equals("minilm-l6")) c.append(" --architecture ").append(architecture);
        if (randomWeights) c.append(" --random-weights");
        if (!out.equals(Path.of("bench/results"))) c.append(" --out ").append(out);
        if (freshnessMinutes != 30) c.append(" --freshness-minutes ").append(freshnessMinutes);
        if (freshnessFrom != null) c.append(" --freshness-from ").append(freshnessFrom);
        return c.toString();
    }
}
