package io.warmstream.local.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warmstream.local.bench.MachineFacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report of a chaos run: its {@code summary}, recovery per fault kind, every invariant, every fault, the machine. */
public final class ChaosReport {

    /**
     * One injected fault, how long the system took to be healthy again (null: it was not, within the timeout), and the
     * machine's load average when it recovered (the machine may be shared).
     */
    public record Fault(int n, FaultInjector.Injected injected, Double recoverySeconds, double loadAverage) {
    }

    private final ChaosSettings settings;
    private final List<Fault> faults;
    private final InvariantChecker.Outcome outcome;
    private final ChaosHistory history;
    private final long scoringSucceeded;
    private final long wallMillis;
    private final Map<String, Object> machine;

    ChaosReport(ChaosSettings settings, List<Fault> faults, InvariantChecker.Outcome outcome, ChaosHistory history,
                long scoringSucceeded, long wallMillis, Map<String, Object> machineAtStart) {
        this.machine = machineAtStart;
        this.settings = settings;
        this.faults = faults;
        this.outcome = outcome;
        this.history = history;
        this.scoringSucceeded = scoringSucceeded;
        this.wallMillis = wallMillis;
    }

    public InvariantChecker.Outcome outcome() {
        return outcome;
    }

    public List<Fault> faults() {
        return faults;
    }

    /** Faults of each kind that did not recover within the timeout. */
    public long unrecovered() {
        return faults.stream().filter(f -> f.recoverySeconds() == null).count();
    }

    public Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("faults_injected", faults.size());
        Map<String, Integer> kinds = new TreeMap<>();
        faults.forEach(f -> kinds.merge(f.injected().kind().label(), 1, Integer::sum));
        s.put("fault_kinds", kinds);
        s.put("invariants_broken", outcome.broken());
        s.put("labels_lost", outcome.labelsLost());
        s.put("labels_duplicated", outcome.labelsDuplicated());
        s.put("members_duplicated", outcome.membersDuplicated());
        s.put("failed_scoring_requests_outside_own_kill", outcome.scoringFailuresOutsideOwnKill());
        List<Double> all = recoveries(null);
        s.put("recovery_p50_s", median(all));
        s.put("recovery_max_s", all.isEmpty() ? null : all.get(all.size() - 1));
        return s;
    }

    public Map<String, Object> toMap(String command) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("summary", summary());
        Map<String, Object> perKind = new LinkedHashMap<>();
        for (FaultKind k : FaultKind.values()) {
            List<Double> r = recoveries(k);
            long n = faults.stream().filter(f -> f.injected().kind() == k).count();
            if (n == 0) continue;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("faults", n);
            e.put("recovered", r.size());
            e.put("recovery_median_s", median(r));
            e.put("recovery_max_s", r.isEmpty() ? null : r.get(r.size() - 1));
            perKind.put(k.label(), e);
        }
        m.put("recovery_by_kind", perKind);
        Map<String, Object> invariants = new LinkedHashMap<>();
        for (InvariantChecker.Result r : outcome.results()) {
            invariants.put(r.name(), Map.of("held", r.held(), "violations", r.violations(), "details", r.details()));
        }
        m.put("invariants", invariants);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("labels_accepted", history.acceptedLabelIds().size());
        counts.put("preference_records", history.preferenceKeys().size());
        counts.put("jobs", history.jobIds().size());
        counts.put("checkpoints", history.checkpointJobIds().size());
        counts.put("rejections", history.rejections().size());
        counts.put("versions", history.versions().size());
        counts.put("scoring_requests_succeeded", scoringSucceeded);
        counts.put("scoring_requests_failed", history.scoringFailures().size());
        m.put("counts", counts);
        m.put("recovery_definition", "seconds from the end of the fault (the kill, the broker's stop, the outage's end) "
                + "until every service answers /health 200 (the merger as active owner), every scorer has answered a scoring request in full and a "
                + "label accepted by ingest is committed on warm.preferences, all after the fault ended");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("seed", settings.seed());
        config.put("outage_s", settings.outage().toSeconds());
        config.put("restart_grace_s", settings.restartGrace().toSeconds());
        config.put("trainers", settings.trainers());
        config.put("scorers", settings.scorers());
        config.put("labels_per_second", settings.labelsPerSecond());
        config.put("profile", "tiny");
        config.put("service_overrides", settings.serviceOverrides());
        m.put("settings", config);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Fault f : faults) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("n", f.n());
            e.put("kind", f.injected().kind().label());
            e.put("target", f.injected().target());
            e.put("moment", f.injected().moment());
            if (f.injected().alsoKilled() != null) e.put("also_killed", f.injected().alsoKilled());
            e.put("injected_at", java.time.Instant.ofEpochMilli(f.injected().injectedAt()).toString());
            e.put("fault_s", (f.injected().endedAt() - f.injected().injectedAt()) / 1000.0);
            e.put("recovery_s", f.recoverySeconds());
            e.put("load_average", f.loadAverage());
            list.add(e);
        }
        m.put("faults", list);
        m.put("wall_s", wallMillis / 1000.0);
        Map<String, Object> mach = new LinkedHashMap<>(machine);
        mach.putAll(MachineFacts.atEnd());
        m.put("machine", mach);
        return m;
    }

    public String toJson(String command) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(toMap(command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path file, String command) {
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, toJson(command) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Double> recoveries(FaultKind kind) {
        return faults.stream().filter(f -> kind == null || f.injected().kind() == kind)
                .map(Fault::recoverySeconds).filter(java.util.Objects::nonNull).sorted(Comparator.naturalOrder()).toList();
    }

    static Double median(List<Double> sorted) {
        if (sorted.isEmpty()) return null;
        int n = sorted.size();
        double m = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return Math.round(m * 10) / 10.0;
    }
}
