package io.warmstream.local;

import io.warmstream.local.cli.AclsCommand;
import io.warmstream.local.cli.WarmVersion;
import io.warmstream.local.cli.BenchCommand;
import io.warmstream.local.cli.ChaosCommand;
import io.warmstream.local.cli.DemoCommand;
import io.warmstream.local.cli.EvalCommand;
import io.warmstream.local.cli.ExportCommand;
import io.warmstream.local.cli.ScoreCommand;
import io.warmstream.local.cli.SendCommand;
import io.warmstream.local.cli.StatusCommand;
import io.warmstream.local.cli.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;


/**
 * The {@code warm} command: the one-command local stack ({@code demo}, {@code up}) and clients for a running
 * stack ({@code send}, {@code score}, {@code export}, {@code status}).
 */
@Command(name = "warm", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, versionProvider = WarmVersion.class,
        description = {"warmstream: reward models kept fresh from a stream of preference labels (WARM weight averaging).", ""},
        subcommands = {DemoCommand.class, UpCommand.class, SendCommand.class, ScoreCommand.class, ExportCommand.class,
                StatusCommand.class, EvalCommand.class, BenchCommand.class, ChaosCommand.class, AclsCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Run 'warm <command> --help' for a command's options."})
public final class WarmCli implements Runnable {

    /** Logback configuration for every command: warnings to standard error. {@code demo} and {@code up} redirect logs to a file. */
    static final String LOG_CONFIG = "warmstream/local/logback-cli.xml";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOG_CONFIG);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call {@code execute} on it). */
    public static CommandLine commandLine() {
        return new CommandLine(new WarmCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        // 'warm' alone: show what there is.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
