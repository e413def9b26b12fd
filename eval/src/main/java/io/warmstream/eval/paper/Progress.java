package io.warmstream.eval.paper;

import io.warmstream.model.train.TrainingProgress;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Progress lines while a paper check runs, with an ETA from measured rates (seconds per training step and per
 * scored sequence) applied to the work left in the plan. Also tracks process CPU time, because on a shared machine
 * wall time measures the neighbours too.
 */
final class Progress {

    private static final long PRINT_EVERY_NANOS = 15_000_000_000L;

    private final PrintStream out;
    private final long plannedSteps;
    private final long plannedSequences;
    private final int sequencesPerStep;
    private final long started = System.nanoTime();
    private final long cpuStarted = processCpuNanos();
    private long finishedSteps;
    private double finishedTrainingSeconds;
    private long currentSteps;
    private long currentStart;
    private long currentCpuStart;
    private double trainingCpuSeconds;
    private double scoringCpuSeconds;
    private long sequencesDone;
    private double scoringSeconds;
    private long lastPrint;

    Progress(PrintStream out, long plannedSteps, long plannedSequences, int sequencesPerStep) {
        this.out = out;
        this.plannedSteps = plannedSteps;
        this.plannedSequences = plannedSequences;
        this.sequencesPerStep = sequencesPerStep;
    }

    void phase(String text) {
        out.printf(Locale.ROOT, "[%s] %s%n", clock(), text);
        out.flush();
    }

    void trainingStarted() {
        currentStart = System.nanoTime();
        currentCpuStart = processCpuNanos();
        currentSteps = 0;
    }

    /** Called after every optimizer step; prints the first and last step and every 15 s in between. */
    void step(String label, TrainingProgress p) {
        long now = System.nanoTime();
        currentSteps = p.step();
        if (p.step() == 1 || p.step() == p.totalSteps() || now - lastPrint > PRINT_EVERY_NANOS) {
            double perStep = (now - currentStart) / 1e9 / p.step();
            out.printf(Locale.ROOT, "[%s] %s step %d/%d loss %.4f lr %.2e %.2f s/step ETA %s%n", clock(), label,
                    p.step(), p.totalSteps(), p.loss(), p.learningRate(), perStep, eta());
            out.flush();
            lastPrint = now;
        }
    }

    void trainingFinished() {
        finishedSteps += currentSteps;
        finishedTrainingSeconds += (System.nanoTime() - currentStart) / 1e9;
        trainingCpuSeconds += (processCpuNanos() - currentCpuStart) / 1e9;
        currentSteps = 0;
    }

    void scored(long sequences, double seconds, double cpuSeconds) {
        sequencesDone += sequences;
        scoringSeconds += seconds;
        scoringCpuSeconds += cpuSeconds;
    }

    /** Where the time went: training and scoring, wall and process CPU seconds, with their amounts of work. */
    java.util.Map<String, Object> breakdown() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("trainingSteps", finishedSteps);
        m.put("trainingWallSeconds", finishedTrainingSeconds);
        m.put("trainingCpuSeconds", trainingCpuSeconds);
        m.put("scoredSequences", sequencesDone);
        m.put("scoringWallSeconds", scoringSeconds);
        m.put("scoringCpuSeconds", scoringCpuSeconds);
        return m;
    }

    /** Remaining planned work at the measured rates; "?" before anything was measured. */
    String eta() {
        double perStep;
        if (finishedSteps > 0) {
            perStep = finishedTrainingSeconds / finishedSteps;
        } else if (currentSteps > 0) {
            perStep = (System.nanoTime() - currentStart) / 1e9 / currentSteps;
        } else {
            return "?";
        }
        // Before any scoring: a training step scores 2 x batch sequences forward and backward, ~3 forwards' work.
        double perSequence = sequencesDone > 0 ? scoringSeconds / sequencesDone : perStep / (3.0 * sequencesPerStep);
        double left = Math.max(0, plannedSteps - finishedSteps - currentSteps) * perStep
                + Math.max(0, plannedSequences - sequencesDone) * perSequence;
        return duration(left);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    double cpuSeconds() {
        return (processCpuNanos() - cpuStarted) / 1e9;
    }

    String clock() {
        return duration(elapsedSeconds());
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** CPU time of this process (all threads, native ones included), or 0 where the JVM cannot tell. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
