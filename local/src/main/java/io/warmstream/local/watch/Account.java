package io.warmstream.local.watch;

import io.warmstream.events.CheckpointRejected;
import io.warmstream.events.DriftReport;
import io.warmstream.events.Hyperparameters;
import io.warmstream.events.ModelEvaluation;
import io.warmstream.events.Member;
import io.warmstream.events.RewardModelCheckpoint;
import io.warmstream.events.TrainingJob;
import io.warmstream.events.TrainingRunEvent;
import io.warmstream.events.WarmModelPublished;
import io.warmstream.local.feed.SimulatorFeed;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The live, readable account of what the system does, one line per event: labels in, jobs, training progress,
 * checkpoints, published WARM versions, drift. Knows nothing about Kafka; {@link TopicWatcher} feeds it.
 *
 * <p>Label counts are summarised every {@code labelInterval} instead of per label; training progress is printed
 * when a run passes another tenth of its steps, so a run makes about ten lines however long it is.
 *
 * <p>Longer than most classes because it is one formatter per event kind, kept together so the account's lines read alike.
 */
public final class Account {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int BAR = 20;
    private static final int SHOWN_MEMBERS = 6;
    private static final java.util.regex.Pattern HASHED_ID = java.util.regex.Pattern.compile("(.+-\\d+)-[0-9a-f]{8,}");

    private final PrintStream out;
    private final Clock clock;
    private final long startMillis;
    private final Duration labelInterval;
    private final Supplier<SimulatorFeed.Stats> feed;

    private long validated;
    private long deadLettered;
    private final Map<String, Long> deadLetterReasons = new TreeMap<>();
    private long printedValidated;
    private long printedDeadLettered;
    private long printedSent;
    private long lastLabelLine;
    private final Map<String, Integer> printedTenths = new HashMap<>();
    private final Map<String, TrainingJob> jobs = new HashMap<>();
    private boolean firstVersionSeen;
    private final EvaluationLines evaluations = new EvaluationLines();

    /**
     * @param startMillis when the run began, for "first WARM version after ..." (e.g. the JVM's start)
     * @param feed        the simulator's counters, or {@code null} when nothing is fed (warm up)
     */
    public Account(PrintStream out, Clock clock, long startMillis, Duration labelInterval, Supplier<SimulatorFeed.Stats> feed) {
        this.out = out;
        this.clock = clock;
        this.startMillis = startMillis;
        this.labelInterval = labelInterval;
        this.feed = feed;
        this.lastLabelLine = startMillis;
    }

    /** What the topics held before this account started (printed once, then live events follow). */
    public synchronized void history(long labels, long dlq, long jobCount, long checkpoints, WarmModelPublished latest) {
        validated = labels;
        deadLettered = dlq;
        printedValidated = labels;
        printedDeadLettered = dlq;
        if (labels == 0 && jobCount == 0 && latest == null) {
            line("start", "empty data directory: waiting for the first labels");
            return;
        }
        firstVersionSeen = latest != null;
        line("resume", String.format("%,d labels validated, %,d dead-lettered, %,d training jobs, %,d checkpoints%s",
                labels, dlq, jobCount, checkpoints,
                latest == null ? ", no WARM version yet"
                        : String.format(", newest WARM %s v%d with %d members%s", latest.getAverage(), latest.getVersion(),
                        latest.getMemberCount(), latest.getWithheld()
                                ? " (withheld by the quality gate; v" + latest.getServedVersion() + " is served)" : "")));
    }

    public synchronized void labelsValidated(long n) {
        validated += n;
    }

    public synchronized void deadLettered(String reason) {
        deadLettered++;
        deadLetterReasons.merge(reason == null ? "unknown" : reason, 1L, Long::sum);
    }

    public synchronized void job(TrainingJob job) {
        jobs.put(job.getJobId(), job);
        Hyperparameters h = job.getHyperparameters();
        line("job", String.format("%s queued: %,d labels, lr %s, dropout %.2f, batch %d, %s, seed %d%s%s",
                shortId(job.getJobId()), job.getLabelCount(), lr(h.getLearningRate()), h.getDropout(), h.getBatchSize(),
                h.getMaxSteps() != null ? h.getMaxSteps() + " steps" : h.getEpochs() + " epoch(s)", job.getSeed(),
                job.getInitCheckpoint() != null ? ", from checkpoint (Baklava)" : "",
                job.getLeftOutCount() > 0 ? String.format("; %,d labels slid out of the window in no job (trainers busy)",
                        job.getLeftOutCount()) : ""));
    }

    public synchronized void run(TrainingRunEvent e) {
        String id = shortId(e.getJobId());
        switch (e.getType()) {
            case "STARTED" -> line("train", String.format("%s started on %s%s", id, e.getWorker(),
                    e.getDevice() != null ? " (" + e.getDevice() + ")" : ""));
            case "PROGRESS" -> progress(id, e);
            case "FINISHED" -> {
                printedTenths.remove(id);
                line("train", String.format("%s finished%s", id, e.getLoss() != null ? String.format(", loss %.3f", e.getLoss()) : ""));
            }
            case "FAILED" -> {
                printedTenths.remove(id);
                line("train", String.format("%s FAILED on %s: %s", id, e.getWorker(), e.getReason()));
            }
            case "SKIPPED" -> line("train", String.format("%s skipped by %s: %s", id, e.getWorker(), skipReason(e.getReason())));
            default -> line("train", id + " " + e.getType());
        }
    }

    /** "superseded by default-000012" for the trainer's "superseded by <job id>, a newer job ..."; else the reason. */
    private static String skipReason(String reason) {
        String prefix = "superseded by ";
        if (reason == null || !reason.startsWith(prefix)) {
            return String.valueOf(reason);
        }
        String rest = reason.substring(prefix.length());
        int comma = rest.indexOf(',');
        return prefix + shortId(comma < 0 ? rest : rest.substring(0, comma)) + ", which covers its labels";
    }

    private void progress(String id, TrainingRunEvent e) {
        if (e.getStep() == null || e.getTotalSteps() == null || e.getTotalSteps() <= 0) {
            return;
        }
        int step = e.getStep();
        int total = e.getTotalSteps();
        int tenth = (int) Math.min(10, (10L * step) / total);
        Integer printed = printedTenths.get(id);
        if (printed != null && tenth <= printed) {
            return;
        }
        printedTenths.put(id, tenth);
        int filled = (int) Math.min(BAR, (long) BAR * step / total);
        String bar = "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
        StringBuilder s = new StringBuilder(String.format("%s %s %d/%d steps", id, bar, step, total));
        if (e.getLoss() != null) {
            s.append(String.format("  loss %.3f", e.getLoss()));
        }
        if (e.getPairsPerSecond() != null && e.getPairsPerSecond() > 0) {
            s.append(String.format("  %.1f pairs/s", e.getPairsPerSecond()));
        }
        line("train", s.toString());
    }

    public synchronized void checkpoint(RewardModelCheckpoint c) {
        line("ckpt", String.format("%s: validation accuracy %.3f (loss %.3f, %,d held-out pairs), trained on %,d pairs in %s on %s",
                shortId(c.getJobId()), c.getValidationAccuracy(), c.getValidationLoss(), c.getValidationCount(),
                c.getTrainCount(), duration(c.getDurationMs()), c.getDevice()));
    }

    public synchronized void rejected(CheckpointRejected r) {
        line("ckpt", String.format("%s REJECTED by the merger: %s (%s)", shortId(r.getJobId()), r.getReasonCode(), r.getDetail()));
    }

    public synchronized void model(WarmModelPublished m) {
        StringBuilder s = new StringBuilder(String.format("%s v%d %s: %d member%s, %s, validation accuracy %s",
                m.getAverage(), m.getVersion(), m.getWithheld()
                        ? "WITHHELD by the quality gate (v" + m.getServedVersion() + " stays served)" : "published",
                m.getMemberCount(), m.getMemberCount() == 1 ? "" : "s", m.getStrategy(),
                m.getValidationAccuracy() == null ? "n/a" : String.format("%.3f", m.getValidationAccuracy())));
        if (m.getValidationAccuracy() != null && m.getAccuracyStandardError() != null) {
            s.append(String.format(" ± %.3f", m.getAccuracyStandardError()));
        }
        if (m.getMembersMeanAccuracy() != null) {
            s.append(String.format(" (members' mean %.3f)", m.getMembersMeanAccuracy()));
        }
        if (m.getComparedWithVersion() != null && m.getPairedDifference() != null) {
            // The gate's paired comparison: is this version better than the one served before it, beyond noise?
            s.append(String.format(", vs v%d %+.3f", m.getComparedWithVersion(), m.getPairedDifference()));
            if (m.getPairedStandardError() != null) {
                s.append(String.format(" ± %.3f", m.getPairedStandardError()));
            }
        }
        if (m.getRollbackOf() != null) {
            s.append(" — rollback to v").append(m.getRollbackOf());
        }
        if (m.getGeneration() > 0) {
            // Named only once there is more than one: a new shared head, whose average is served only once it is better.
            s.append(" — generation ").append(m.getGeneration());
        }
        if (!firstVersionSeen) {
            firstVersionSeen = true;
            s.append(String.format(" — first WARM version, %s after start", duration(clock.millis() - startMillis)));
        }
        line("WARM", s.toString());
        if (m.getNewestLabelAt() != null && m.getPublishedAt() != null) {
            line("", String.format("freshness: newest label %s old when published; checkpoint to published %s; "
                            + "its job waited %s and took %s", duration(m.getPublishedAt().toEpochMilli() - m.getNewestLabelAt().toEpochMilli()),
                    m.getCheckpointAt() == null ? "?" : duration(m.getPublishedAt().toEpochMilli() - m.getCheckpointAt().toEpochMilli()),
                    m.getNewestMemberQueueMs() == null ? "?" : duration(m.getNewestMemberQueueMs()),
                    m.getNewestMemberTrainingMs() == null ? "?" : duration(m.getNewestMemberTrainingMs())));
        }
        List<Member> all = m.getMembers();
        if (!all.isEmpty()) {
            // A long-lived average has many members; its newest few say what changed.
            List<Member> shown = all.subList(Math.max(0, all.size() - SHOWN_MEMBERS), all.size());
            StringBuilder members = new StringBuilder(all.size() > shown.size()
                    ? String.format("members (newest %d of %d): ", shown.size(), all.size()) : "members: ");
            for (int i = 0; i < shown.size(); i++) {
                members.append(i == 0 ? "" : ", ").append(String.format("%s %.3f", shortId(shown.get(i).getJobId()),
                        shown.get(i).getValidationAccuracy()));
            }
            line("", members.toString());
        }
    }

    public synchronized void drift(DriftReport d) {
        StringBuilder s = new StringBuilder(String.format("%s v%d: %,d scored", d.getAverage(), d.getModelVersion(), d.getScoredCount()));
        if (d.getRewardMean() != null) {
            s.append(String.format(", reward mean %.3f", d.getRewardMean()));
            if (d.getRewardStd() != null) {
                s.append(String.format(" sd %.3f", d.getRewardStd()));
            }
        }
        if (d.getPsi() != null) {
            s.append(String.format(", PSI %.3f", d.getPsi()));
        }
        if (d.getPrequentialAccuracy() != null) {
            s.append(String.format(", accuracy on fresh labels %.3f (%,d)", d.getPrequentialAccuracy(), d.getPrequentialCount()));
        }
        if (d.getAgreementWithPrevious() != null && d.getPreviousVersion() != null) {
            s.append(String.format(", agreement with v%d %.3f", d.getPreviousVersion(), d.getAgreementWithPrevious()));
        }
        line("drift", s.toString());
    }

    /** A test-set judgement (gold accuracy in the demo): one line per judged version or member. */
    public synchronized void evaluation(ModelEvaluation e) {
        evaluations.add(e, clock.millis()).ifPresent(text -> line("test", text));
    }

    /** Prints the label summary when {@code labelInterval} has passed and something changed. */
    public synchronized void tick() {
        long now = clock.millis();
        evaluations.due(now, 1_000).ifPresent(text -> line("test", text));
        if (now - lastLabelLine < labelInterval.toMillis()) {
            return;
        }
        SimulatorFeed.Stats f = feed == null ? null : feed.get();
        long sent = f == null ? 0 : f.sent();
        if (validated == printedValidated && deadLettered == printedDeadLettered && sent == printedSent
                && (f == null || f.lastError() == null)) {
            return;
        }
        lastLabelLine = now;
        StringBuilder s = new StringBuilder();
        if (f != null) {
            s.append(String.format("sent %,d (+%,d), accepted %,d, rejected %,d", sent, sent - printedSent, f.accepted(), f.rejected()));
            if (!f.rejectedByReason().isEmpty()) {
                s.append(' ').append(new java.util.TreeMap<>(f.rejectedByReason()));
            }
            s.append("; ");
        }
        s.append(String.format("validated %,d (+%,d), dead-lettered %,d", validated, validated - printedValidated, deadLettered));
        if (!deadLetterReasons.isEmpty()) {
            s.append(' ').append(deadLetterReasons);
        }
        if (f != null && f.lastError() != null) {
            s.append("; ingest trouble: ").append(f.lastError());
        }
        printedValidated = validated;
        printedDeadLettered = deadLettered;
        printedSent = sent;
        line("labels", s.toString());
    }

    /** A free-form line (start-up steps, URLs). */
    public synchronized void note(String kind, String text) {
        line(kind, text);
    }

    private void line(String kind, String text) {
        String time = LocalTime.ofInstant(clock.instant(), ZoneId.systemDefault()).format(TIME);
        out.printf(Locale.ROOT, "%s  %-6s %s%n", time, kind, text);
        out.flush();
    }

    /** Job ids end in a content hash ({@code default-000012-8aeea876bc37}); the readable part is enough here. */
    static String shortId(String jobId) {
        if (jobId == null) {
            return "?";
        }
        java.util.regex.Matcher m = HASHED_ID.matcher(jobId);
        if (m.matches()) {
            return m.group(1);
        }
        return jobId.length() > 24 ? jobId.substring(0, 24) : jobId;
    }

    private static String lr(double v) {
        return String.format(Locale.ROOT, "%.0e", v);
    }

    static String duration(long millis) {
        long s = Math.max(0, millis) / 1000;
        if (s < 60) {
            return s + " s";
        }
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, (s % 3600) / 60) : String.format("%dm%02ds", s / 60, s % 60);
    }
}
