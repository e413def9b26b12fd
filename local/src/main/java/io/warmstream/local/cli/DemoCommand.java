package io.warmstream.local.cli;

import io.warmstream.local.session.StackSession;
import io.warmstream.local.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code warm demo}: the whole system plus a simulated labelling pipeline, with a live account. */
@Command(name = "demo", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Run the whole system with simulated labels and watch it learn.", "",
                "Starts in this process Kafka, the schema registry, ingest, the trainers, the merger and the scorer, "
                        + "then streams preference labels from the preference-world simulator through ingest's HTTP API "
                        + "and prints what happens: labels, training jobs and progress, checkpoints, WARM versions, drift. "
                        + "Ctrl-C stops everything; run it again with the same --data-dir to resume where it stopped.", ""})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Option(names = "--rate", paramLabel = "<labels/s>", defaultValue = "${env:WARM_DEMO_RATE:-4}",
            description = "Labels per second from the simulator (env WARM_DEMO_RATE; default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--labels", paramLabel = "<n>",
            description = "Stop the simulator once this many labels have been sent in total (default: no end).")
    Long labels;

    @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "42", description = "The preference world's seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--flip-fraction", paramLabel = "<0..1>", defaultValue = "0.1",
            description = "Share of simulator labels deliberately flipped, as noisy labellers do (default ${DEFAULT-VALUE}).")
    double flipFraction;

    @Option(names = "--bad-fraction", paramLabel = "<0..1>", defaultValue = "0.01",
            description = "Share of simulator labels sent broken (equal responses, blank prompt, missing field), "
                    + "which ingest refuses and the account counts (default ${DEFAULT-VALUE}).")
    double badFraction;

    @Option(names = "--score-every", paramLabel = "<seconds>", defaultValue = "5",
            description = "How often a simulated RL service scores 8 candidate responses with the newest model, "
                    + "so drift reports have traffic to describe; 0 turns it off (default ${DEFAULT-VALUE}).")
    int scoreSeconds;

    @Option(names = "--summary-every", paramLabel = "<seconds>", defaultValue = "10",
            description = "How often the label counts are printed (default ${DEFAULT-VALUE}).")
    int summarySeconds;

    @Override
    public Integer call() {
        if (!(rate > 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be > 0");
        }
        if (!(flipFraction >= 0 && flipFraction <= 1)) {
            throw new ParameterException(spec.commandLine(), "--flip-fraction must be in [0, 1]");
        }
        if (!(badFraction >= 0 && badFraction <= 1)) {
            throw new ParameterException(spec.commandLine(), "--bad-fraction must be in [0, 1]");
        }
        StackSettings settings;
        try {
            settings = stack.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        StackSession.FeedOptions feed = new StackSession.FeedOptions(seed, flipFraction, badFraction, rate,
                labels == null ? Long.MAX_VALUE : labels, Duration.ofSeconds(Math.max(0, scoreSeconds)));
        return StackRunner.run(settings, feed, Duration.ofSeconds(Math.max(1, summarySeconds)));
    }
}
