package io.warmstream.local.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Injects one fault at a moment that makes it hurt: a trainer while it trains, the merger as a checkpoint arrives or
 * as a version is produced (before its transaction commits), a scorer under its client's load, ingest with a batch
 * in flight. A killed service is started again at once, as a container runtime would.
 */
final class FaultInjector {

    /** What was done: {@code endedAt} is when the fault was over (the kill, or the dependency back). */
    record Injected(FaultKind kind, String target, long injectedAt, long endedAt, String moment, String alsoKilled) {
        Injected(FaultKind kind, String target, long injectedAt, long endedAt, String moment) {
            this(kind, target, injectedAt, endedAt, moment, null);
        }

        /** The scorer this fault took down, if any: its clients' failures are its own until it is back. */
        String scorerKilled() {
            if (kind == FaultKind.KILL_SCORER) return target;
            return alsoKilled != null && alsoKilled.startsWith("scorer") ? alsoKilled : null;
        }
    }

    private final ChaosInfrastructure infra;
    private final ChaosFleet fleet;
    private final LiveEvents live;
    private final LabelDriver labels;
    private final StoreFreeze store;
    private final Duration outage;
    private final Random random;

    FaultInjector(ChaosInfrastructure infra, ChaosFleet fleet, LiveEvents live, LabelDriver labels, StoreFreeze store,
                  Duration outage, Random random) {
        this.infra = infra;
        this.fleet = fleet;
        this.live = live;
        this.labels = labels;
        this.store = store;
        this.outage = outage;
        this.random = random;
    }

    Injected inject(FaultKind kind) {
        return switch (kind) {
            case KILL_TRAINER -> killTrainer();
            case KILL_MERGER_FOLD -> killMerger(kind, live::checkpointsSeen, random.nextInt(400));
            case KILL_MERGER_TRANSACTION -> killMerger(kind, live::versionsSeen, 0);
            case KILL_SCORER -> {
                List<ServiceProcess> scorers = fleet.ofKind("scorer");
                yield kill(kind, scorers.get(random.nextInt(scorers.size())), "under its client's load");
            }
            case KILL_INGEST -> {
                boolean caught = await(labels::inFlight, Duration.ofSeconds(10), 5);
                yield kill(kind, fleet.get("ingest"), caught ? "a batch in flight" : "no batch caught in flight");
            }
            case BROKER_RESTART -> {
                long at = System.currentTimeMillis();
                infra.restartBroker();
                yield new Injected(kind, "broker", at, at, "stopped and started on the same port and log directory");
            }
            case REGISTRY_OUTAGE -> {
                // A service restarted while the registry is away must wait for it, not exit: restart one mid-outage.
                List<ServiceProcess> all = fleet.all();
                ServiceProcess restarted = all.get(random.nextInt(all.size()));
                long at = System.currentTimeMillis();
                infra.registryDown();
                sleep(outage.toMillis() / 3);
                restarted.kill();
                restarted.start();
                sleep(outage.toMillis() - outage.toMillis() / 3);
                infra.registryUp();
                yield new Injected(kind, "registry", at, System.currentTimeMillis(), "refused for " + outage.toSeconds()
                        + " s; " + restarted.name() + " killed and restarted " + outage.toSeconds() / 3 + " s into it",
                        restarted.name());
            }
            case STORE_UNWRITABLE -> {
                long at = System.currentTimeMillis();
                store.freeze();
                sleep(outage.toMillis());
                store.thaw();
                yield new Injected(kind, "store", at, System.currentTimeMillis(),
                        "unwritable for " + outage.toSeconds() + " s (" + store.method() + ")");
            }
        };
    }

    private Injected killTrainer() {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            List<Map.Entry<String, LiveEvents.Run>> busy = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Map.Entry<String, LiveEvents.Run> e : live.runningJobs().entrySet()) {
                if (now - e.getValue().lastEventAt() < 15_000
                        && fleet.trainerOfWorker(e.getValue().worker()).map(ServiceProcess::healthy).orElse(false)) {
                    busy.add(e);
                }
            }
            if (!busy.isEmpty()) {
                Map.Entry<String, LiveEvents.Run> victim = busy.get(random.nextInt(busy.size()));
                return kill(FaultKind.KILL_TRAINER, fleet.trainerOfWorker(victim.getValue().worker()).orElseThrow(),
                        "training " + victim.getKey());
            }
            sleep(100);
        }
        List<ServiceProcess> trainers = fleet.ofKind("trainer");
        return kill(FaultKind.KILL_TRAINER, trainers.get(random.nextInt(trainers.size())), "no job in progress within 60 s");
    }

    /** Waits for the merger's next checkpoint (or version) to appear, then kills it after {@code delayMs}. */
    private Injected killMerger(FaultKind kind, java.util.function.LongSupplier seen, int delayMs) {
        long before = seen.getAsLong();
        boolean caught = await(() -> seen.getAsLong() > before, Duration.ofSeconds(90), 10);
        if (delayMs > 0) sleep(delayMs);
        String moment = !caught ? "nothing arrived within 90 s"
                : kind == FaultKind.KILL_MERGER_FOLD ? delayMs + " ms after a checkpoint arrived"
                : "as a version was produced, before its commit was seen";
        return kill(kind, fleet.get("merger"), moment);
    }

    private Injected kill(FaultKind kind, ServiceProcess victim, String moment) {
        long at = System.currentTimeMillis();
        victim.kill();
        victim.start();
        return new Injected(kind, victim.name(), at, at, moment);
    }

    private static boolean await(BooleanSupplier condition, Duration timeout, long everyMs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) return true;
            sleep(everyMs);
        }
        return false;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
