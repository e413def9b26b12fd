package io.warmstream.local.cli;

import io.warmstream.local.stream.StreamExperiment;
import io.warmstream.local.stream.StreamExperimentSettings;
import java.time.Duration;
import io.warmstream.eval.paper.EvalSettings;
import io.warmstream.eval.paper.PaperChecks;
import io.warmstream.eval.report.PaperResults;
import io.warmstream.eval.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warm eval}: checks the WARM paper's claims on the simulated preference world and writes a report. */
@Command(name = "eval", usageHelpAutoWidth = true,
        description = {"Check the WARM paper's claims end to end on the simulated preference world.", "",
                "Fine-tunes M reward models from one pretrained encoder (shared LP head; seeds, data orders, learning "
                        + "rates and dropouts differ) on simulator labels with 0% and 25% flipped, then compares every "
                        + "member, ENS (mean of predictions) and WARM (weight average) for M = 1..M: memorisation of "
                        + "flipped labels, validation and OOD accuracy against the gold reward, best-of-N up to 256, "
                        + "the interpolation curve between two members and the inference cost of ENS against WARM. "
                        + "Writes report.md, report.json and PNG plots into --out. Runs in this process; no stack needed.",
                "", "Presets: cpu (real MiniLM, top 2 layers, about 10 minutes on 2 idle cores), gpu (every layer, "
                        + "full-size training; same command), tiny (a random tiny encoder, seconds; numbers mean nothing).",
                "", "Any other setting of the report's settings table is set with --<setting> <value> (the form the "
                        + "report's command line uses, e.g. --validation-pairs 512) or --set <setting>=<value>.", ""})
public final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--preset", paramLabel = "<name>", defaultValue = "cpu",
            description = "cpu, gpu or tiny (default ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "warm-eval",
            description = "Report folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", paramLabel = "<n>", description = "World seed and root of every member seed (preset: 7).")
    Long seed;

    @Option(names = "--members", paramLabel = "<m>", description = "Reward models per noise level (preset: 6).")
    Integer members;

    @Option(names = "--steps", paramLabel = "<n>", description = "Optimizer steps per member.")
    Integer steps;

    @Option(names = "--device", paramLabel = "<device>", description = "auto, cpu, gpu or gpu:N (preset: auto).")
    String device;

    @Option(names = "--keep-models", description = "Keep the members' and averages' model directories under <out>/models.")
    boolean keepModels;

    @Option(names = "--set", paramLabel = "<name>=<value>",
            description = "Any other setting of the report's settings table, e.g. --set flip-fractions=0,0.25 "
                    + "--set learning-rates=1e-5,4e-5,1e-4 --set train-pairs=512 (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--stream", description = "Run the stream experiment instead: the real services (as ./warm demo runs "
            + "them) fed simulated labels up to a budget, every served version judged on gold test sets, against one "
            + "model trained on all labels with the same compute. Presets: cpu (about 30 minutes), gpu, tiny. --set "
            + "then takes service properties (e.g. --set warm.merger.strategy=ema).")
    boolean stream;

    @Option(names = "--labels", paramLabel = "<n>", description = "--stream: label budget per run (preset: cpu 3600).")
    Long labels;

    @Option(names = "--rate", paramLabel = "<labels/s>", description = "--stream: labels per second (preset: cpu 5).")
    Double rate;

    @Option(names = "--strategies", paramLabel = "<a,b>", split = ",",
            description = "--stream: merge strategies to compare, one run each on the same labels (data-size-weighted, "
                    + "uniform, ema, accuracy-weighted, sliding-window, slerp-liti; preset: the merger's default, "
                    + "data-size-weighted).")
    List<String> strategies;

    @Option(names = "--baseline-steps", paramLabel = "<n>",
            description = "--stream: cap on the all-labels model's steps (its compute is the members' total); 0 skips it (preset: cpu 1000).")
    Integer baselineSteps;

    @Option(names = "--replay", paramLabel = "<a,b|none>", split = ",",
            description = "--stream: merge strategies the first run's members are folded under afterwards and judged, "
                    + "so strategies are compared on identical members; none skips it (preset: uniform, "
                    + "accuracy-weighted, data-size-weighted, ema, sliding-window).")
    List<String> replay;

    @Option(names = "--time-limit", paramLabel = "<minutes>", description = "--stream: minutes per run at most (preset: cpu 30).")
    Integer timeLimit;

    /** --name value pairs for the other settings (what the report prints as its command). */
    @Unmatched
    List<String> others = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stream) {
            return stream(stdout, err);
        }
        EvalSettings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        PaperResults results;
        try (PrintStream progress = new PrintStream(new LineForwarder(stdout), true, StandardCharsets.UTF_8)) {
            results = PaperChecks.run(settings, progress);
        }
        stdout.println("report: " + settings.outDir().resolve(ReportWriter.MARKDOWN).toAbsolutePath());
        results.claims().forEach(c -> stdout.println(c.summaryLine()));
        stdout.flush();
        return 0;
    }

    private int stream(PrintWriter stdout, PrintWriter err) {
        StreamExperimentSettings settings;
        try {
            if (!others.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + others.get(0) + " with --stream");
            }
            StreamExperimentSettings preset = StreamExperimentSettings.preset(this.preset, out);
            settings = preset.with(labels == null ? preset.labels() : labels, rate, strategies,
                    timeLimit == null ? null : Duration.ofMinutes(timeLimit), baselineSteps,
                    replay == null ? null : replay.equals(List.of("none")) ? List.of() : replay, new LinkedHashMap<>(set));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        StringBuilder command = new StringBuilder("./warm eval --stream --preset " + preset + " --out " + out);
        if (labels != null) command.append(" --labels ").append(labels);
        if (rate != null) command.append(" --rate ").append(rate);
        if (strategies != null) command.append(" --strategies ").append(String.join(",", strategies));
        if (timeLimit != null) command.append(" --time-limit ").append(timeLimit);
        if (baselineSteps != null) command.append(" --baseline-steps ").append(baselineSteps);
        if (replay != null) command.append(" --replay ").append(String.join(",", replay));
        set.forEach((k, v) -> command.append(" --set ").append(k).append('=').append(v));
        Map<String, Object> report;
        try (PrintStream progress = new PrintStream(new LineForwarder(stdout), true, StandardCharsets.UTF_8)) {
            report = StreamExperiment.run(settings, command.toString(), progress);
        }
        stdout.println("summary: " + report.get("summary"));
        stdout.flush();
        return 0;
    }

    /** The preset with this command's overrides; IllegalArgumentException naming the bad setting. */
    EvalSettings settings() {
        EvalSettings s = EvalSettings.preset(preset).withOutDir(out);
        Map<String, String> all = new LinkedHashMap<>();
        for (int i = 0; i < others.size(); i++) {
            String option = others.get(i);
            if (!option.startsWith("--") || option.contains("=")) {
                throw new IllegalArgumentException("unexpected argument " + option);
            }
            if (i + 1 >= others.size()) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            all.put(option, others.get(++i));
        }
        all.putAll(set);
        for (Map.Entry<String, String> e : all.entrySet()) {
            String name = e.getKey().startsWith("--") ? e.getKey().substring(2) : e.getKey();
            if (name.equals("out") || name.equals("out-dir") || name.equals("preset")) {
                throw new IllegalArgumentException("use --" + (name.equals("preset") ? "preset" : "out")
                        + " rather than --set " + name);
            }
            s = s.with(name, e.getValue());
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (members != null) {
            s = s.with("members", String.valueOf(members));
        }
        if (steps != null) {
            s = s.with("steps", String.valueOf(steps));
        }
        if (device != null) {
            s = s.with("device", device);
        }
        if (keepModels) {
            s = s.with("keep-models", "true");
        }
        return s;
    }

    /** Progress lines (a PrintStream for the harness) onto picocli's writer, a line at a time. */
    private static final class LineForwarder extends OutputStream {
        private final PrintWriter target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineForwarder(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            if (line.size() > 0) {
                target.print(line.toString(StandardCharsets.UTF_8));
                line.reset();
            }
            target.flush();
        }
    }
}
