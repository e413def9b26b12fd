package io.warmstream.local.cli;

import io.warmstream.local.chaos.ChaosReport;
import io.warmstream.local.chaos.ChaosRun;
import io.warmstream.local.chaos.ChaosSettings;
import io.warmstream.local.chaos.FaultKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code warm chaos}: random faults against the services as real processes, then the invariants and a report. */
@Command(name = "chaos", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Run every service as its own JVM on the embedded broker and registry, under the simulator's "
                + "labels and scoring clients, inject random faults (kill -9 of a trainer, the merger mid-fold and "
                + "mid-transaction, a scorer, ingest; a broker restart; the registry down; the store unwritable), "
                + "then check from the topics and the store that nothing was lost, duplicated or orphaned.", "",
                "Prints a line per fault and the JSON report (summary, recovery per fault kind, every invariant). "
                        + "Exit code 1 when an invariant is broken or a fault did not recover."})
public final class ChaosCommand implements Callable<Integer> {

    @Option(names = "--faults", defaultValue = "10", description = "Random faults to inject (default ${DEFAULT-VALUE}).")
    int faults;

    @Option(names = "--seed", defaultValue = "1", description = "Picks fault kinds, victims and moments (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "<file>", description = "Also write the JSON report here.")
    Path out;

    @Option(names = "--outage-seconds", defaultValue = "60",
            description = "How long the registry is down and the store unwritable (default ${DEFAULT-VALUE}).")
    int outageSeconds;

    @Option(names = "--plan", split = ",", paramLabel = "<kind>",
            description = "A fixed list of faults instead of random ones: kill_trainer, kill_merger_fold, "
                    + "kill_merger_transaction, kill_scorer, kill_ingest, broker_restart, registry_outage, store_unwritable.")
    java.util.List<String> plan;

    @Option(names = "--data-dir", paramLabel = "<dir>",
            description = "Where the run keeps its broker, store and service logs (default: a new temporary directory).")
    Path dataDir;

    @Override
    public Integer call() throws IOException {
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("warm-chaos-");
        ChaosSettings settings = ChaosSettings.defaults(dir, seed, faults).withOutage(Duration.ofSeconds(outageSeconds));
        if (plan != null && !plan.isEmpty()) {
            settings = settings.withPlan(plan.stream().map(FaultKind::of).toList());
        }
        PrintStream progress = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ChaosReport report = new ChaosRun(settings, progress).run();
        String command = "./warm chaos --faults " + faults + " --seed " + seed
                + (outageSeconds != 60 ? " --outage-seconds " + outageSeconds : "")
                + (plan != null && !plan.isEmpty() ? " --plan " + String.join(",", plan) : "") + (out != null ? " --out " + out : "");
        progress.println(report.toJson(command));
        if (out != null) {
            report.write(out, command);
            progress.println("report written to " + out + "; service logs in " + dir.resolve("logs"));
        }
        return report.outcome().broken() == 0 && report.unrecovered() == 0 ? 0 : 1;
    }
}
