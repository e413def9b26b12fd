package io.warmstream.local.chaos;

import io.warmstream.eval.world.PreferenceWorld;
import io.warmstream.eval.world.WorldConfig;
import io.warmstream.local.bench.MachineFacts;
import io.warmstream.local.client.IngestClient;
import io.warmstream.local.client.ScorerClient;
import io.warmstream.local.feed.PipelineLabels;
import io.warmstream.local.stack.LocalSecrets;
import io.warmstream.security.Roles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One chaos run: infrastructure, service processes and load up; faults one after another, each followed by its
 * recovery; then quiet until every job, checkpoint and label has settled; then the invariants on what was left.
 */
public final class ChaosRun {

    private final ChaosSettings s;
    private final PrintStream out;
    private final long started = System.currentTimeMillis();
    private final Map<String, Object> machineAtStart = MachineFacts.atStart(java.nio.file.Path.of("").toAbsolutePath());

    public ChaosRun(ChaosSettings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    public ChaosReport run() {
        try {
            Files.createDirectories(s.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Random random = new Random(s.seed());
        List<ChaosReport.Fault> faults = new ArrayList<>();
        Map<String, List<ChaosHistory.Window>> scorerDown = new LinkedHashMap<>();
        progress("starting the broker and the registry in %s", s.dataDir());
        try (ChaosInfrastructure infra = ChaosInfrastructure.start(s.dataDir())) {
            LocalSecrets secrets = LocalSecrets.loadOrCreate(s.dataDir());
            ChaosFleet fleet = new ChaosFleet(s, infra.bootstrapServers(), infra.registryUrl(), secrets);
            PreferenceWorld world = PreferenceWorld.create(WorldConfig.defaults().withSeed(s.seed()));
            LabelDriver labels = new LabelDriver(new PipelineLabels(world, 0.02),
                    new IngestClient(fleet.get("ingest").url(), Duration.ofSeconds(30), secrets.key(Roles.LABELLER)),
                    s.labelsPerSecond());
            Map<String, ScorerClient> clients = new LinkedHashMap<>();
            fleet.ofKind("scorer").forEach(sc -> clients.put(sc.name(),
                    new ScorerClient(sc.url(), Duration.ofSeconds(30), secrets.key(Roles.READER))));
            ScoringClients scoring = new ScoringClients(world, clients, Duration.ofMillis(500));
            StoreFreeze store = new StoreFreeze(fleet.storeDir());
            try (LiveEvents live = new LiveEvents(infra.kafkaSettings())) {
                live.start();
                progress("starting %d service processes", fleet.all().size());
                fleet.startAll();
                await("ingest healthy", () -> fleet.get("ingest").healthy(), Duration.ofMinutes(3));
                labels.start();
                await("every service healthy (scorers serve a first version)", fleet::allHealthy, Duration.ofMinutes(5));
                scoring.start();
                progress("warm: %d labels accepted, %d versions seen; injecting %d faults",
                        labels.acceptedCount(), live.versionsSeen(), s.faultCount());
                Recovery recovery = new Recovery(fleet, scoring, labels, live);
                FaultInjector injector = new FaultInjector(infra, fleet, live, labels, store, s.outage(), random);
                for (int i = 0; i < s.faultCount(); i++) {
                    FaultKind kind = s.plan().isEmpty() ? FaultKind.values()[random.nextInt(FaultKind.values().length)]
                            : s.plan().get(i);
                    FaultInjector.Injected f = injector.inject(kind);
                    Recovery.Measured m = recovery.await(f, s.recoveryTimeout());
                    if (f.scorerKilled() != null) {
                        long until = (m.victimHealthyAt() != null ? m.victimHealthyAt() : System.currentTimeMillis())
                                + s.restartGrace().toMillis();
                        scorerDown.computeIfAbsent(f.scorerKilled(), k -> new ArrayList<>())
                                .add(new ChaosHistory.Window(f.injectedAt(), until));
                    }
                    faults.add(new ChaosReport.Fault(i + 1, f, m.seconds(), MachineFacts.loadAverage()));
                    progress("fault %d/%d %s %s (%s): %s; %d labels accepted, %d versions, %d scoring failures",
                            i + 1, s.faultCount(), kind.label(), f.target(), f.moment(),
                            m.seconds() == null ? "NOT RECOVERED in " + s.recoveryTimeout().toSeconds() + " s"
                                    : String.format(Locale.ROOT, "recovered in %.1f s", m.seconds()),
                            labels.acceptedCount(), live.versionsSeen(), scoring.failures().size());
                    FaultInjector.sleep(s.settle().toMillis());
                }
                progress("faults done; stopping the load and waiting for jobs, checkpoints and labels to settle");
                labels.close();
                Quiescence.await(infra.kafkaSettings(), labels, live, s.quiesceTimeout(), this::progress);
                scoring.close();
                progress("stopping the services");
                fleet.stopAll();
                TopicHistory topics = TopicHistory.read(infra.kafkaSettings());
                List<String> orphans = Orphans.find(fleet.storeDir(), fleet.workDir(), topics.checkpointJobIds);
                List<ChaosHistory.ScoringFailure> failures = scoring.failures().stream()
                        .map(f -> new ChaosHistory.ScoringFailure(f.at(), f.scorer(), f.error())).toList();
                ChaosHistory history = new ChaosHistory(List.copyOf(labels.accepted().keySet()), topics.preferenceKeys,
                        topics.jobIds, topics.jobEndings, topics.checkpointJobIds, topics.rejections, topics.versions,
                        failures, scorerDown, orphans);
                InvariantChecker.Outcome outcome = InvariantChecker.check(history);
                ChaosReport report = new ChaosReport(s, faults, outcome, history, scoring.succeeded(),
                        System.currentTimeMillis() - started, machineAtStart);
                progress("done: %d faults, %d invariants broken", faults.size(), outcome.broken());
                return report;
            } finally {
                labels.close();
                scoring.close();
                store.thaw();
                fleet.all().forEach(ServiceProcess::kill);
            }
        }
    }

    private void await(String what, java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("chaos: not " + what + " within " + timeout.toSeconds() + " s; logs in "
                        + s.dataDir().resolve("logs"));
            }
            FaultInjector.sleep(500);
        }
        progress("%s", what);
    }

    void progress(String format, Object... args) {
        out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.currentTimeMillis() - started) / 1000.0,
                String.format(Locale.ROOT, format, args));
        out.flush();
    }
}
