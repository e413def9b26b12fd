package io.warmstream.local.cli;

import io.warmstream.local.stack.StackSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code warm up}: the stack without the simulator, waiting for labels from outside. */
@Command(name = "up", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"Run the whole system, waiting for your labels.", "",
                "Starts in this process Kafka, the schema registry, ingest, the trainers, the merger and the scorer, "
                        + "without the simulator, and prints what happens as labels arrive (e.g. from warm send). "
                        + "Ctrl-C stops everything; run it again with the same --data-dir to resume.", ""})
public final class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() {
        StackSettings settings;
        try {
            settings = stack.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return StackRunner.run(settings, null, Duration.ofSeconds(10));
    }
}
